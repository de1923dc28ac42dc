package handler

import (
	"testing"

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
