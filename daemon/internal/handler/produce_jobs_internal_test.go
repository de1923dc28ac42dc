package handler

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"
)

func TestDistinctPartitions(t *testing.T) {
	jobsOf := func(n int, dup bool) []produceJob {
		var jobs []produceJob
		for i := range n {
			jobs = append(jobs, produceJob{topic: "t", rp: kmsg.ProduceRequestTopicPartition{Partition: int32(i)}})
		}
		if dup {
			jobs = append(jobs, produceJob{topic: "t", rp: kmsg.ProduceRequestTopicPartition{Partition: int32(n / 2)}})
		}
		return jobs
	}
	otherTopic := append(jobsOf(3, false), produceJob{topic: "u", rp: kmsg.ProduceRequestTopicPartition{Partition: 1}})
	tests := []struct {
		name string
		jobs []produceJob
		want bool
	}{
		{"few distinct", jobsOf(6, false), true},
		{"few, one twice", jobsOf(6, true), false},
		{"same partition of another topic", otherTopic, true},
		{"many distinct", jobsOf(40, false), true},
		{"many, one twice", jobsOf(40, true), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := distinctPartitions(tc.jobs); got != tc.want {
				t.Fatalf("distinctPartitions = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestForEachOnCores: every index runs once, never more of them at once
// than the cores given, and the caller's goroutine works too.
func TestForEachOnCores(t *testing.T) {
	tests := []struct{ n, cores, wantMax int }{
		{n: 6, cores: 2, wantMax: 2},
		{n: 1, cores: 4, wantMax: 1},
		{n: 3, cores: 8, wantMax: 3},
		{n: 1000, cores: 2, wantMax: 2},
		{n: 0, cores: 2, wantMax: 0},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%d on %d", tc.n, tc.cores), func(t *testing.T) {
			runs := make([]atomic.Int32, tc.n)
			var running, most atomic.Int32
			gate := make(chan struct{})
			if tc.n > 0 {
				// Hold the first calls until as many as may run have started
				// (or 5 s have passed: too few workers), so the bound is
				// reached, not merely respected.
				go func() {
					deadline := time.Now().Add(5 * time.Second)
					for running.Load() < int32(tc.wantMax) && time.Now().Before(deadline) {
						runtime.Gosched()
					}
					close(gate)
				}()
			}
			forEachOnCores(tc.n, tc.cores, func(i int) {
				now := running.Add(1)
				for m := most.Load(); now > m && !most.CompareAndSwap(m, now); m = most.Load() {
				}
				if i < tc.wantMax {
					<-gate
				}
				runs[i].Add(1)
				running.Add(-1)
			})
			for i := range runs {
				if n := runs[i].Load(); n != 1 {
					t.Fatalf("index %d ran %d times", i, n)
				}
			}
			if got := int(most.Load()); got != tc.wantMax {
				t.Fatalf("at most %d at once, want %d", got, tc.wantMax)
			}
		})
	}
}
