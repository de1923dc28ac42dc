package handler

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// concurrentAppendBytes is the size from which a produce request's
// partitions are appended concurrently: below it, a goroutine per
// partition costs more than it saves.
const concurrentAppendBytes = 64 << 10

// produceJob is one partition's records of a produce request and the
// outcome of their append.
type produceJob struct {
	topic  string
	rp     kmsg.ProduceRequestTopicPartition
	slot   [2]int // topic and partition index in the response
	result kmsg.ProduceResponseTopicPartition
	wait   *pendingAck // acks=all: the append to wait for
}

// appendJobs appends every job. The partitions of one request are
// independent logs, so a large request's are appended concurrently (each
// validates and writes on its own core); each partition still sees its
// appends in the connection's order, since the request is over only when
// all of them are, and a partition named twice in one request is appended
// in order.
func (h *Handler) appendJobs(jobs []produceJob, acks, version int16) {
	if !worthConcurrency(jobs) {
		for i := range jobs {
			h.appendJob(&jobs[i], acks, version)
		}
		return
	}
	// A handler panic closes the connection, not the broker: it is
	// raised again on the connection's goroutine, where the server
	// recovers it, once every append has ended.
	panics := make([]any, len(jobs))
	forEachOnCores(len(jobs), runtime.GOMAXPROCS(0), func(i int) {
		defer func() { panics[i] = recover() }()
		h.appendJob(&jobs[i], acks, version)
	})
	for _, p := range panics {
		if p != nil {
			panic(fmt.Sprintf("concurrent produce append: %v", p))
		}
	}
}

// forEachOnCores calls fn(i) once for each i below n, on at most cores
// goroutines (this one included) that take the next i as each finishes:
// a goroutine per partition would wake a thread per partition and gain
// nothing once every core is busy, and a request naming thousands of
// partitions would start thousands.
func forEachOnCores(n, cores int, fn func(i int)) {
	var next atomic.Int64
	work := func() {
		for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
			fn(i)
		}
	}
	var wg sync.WaitGroup
	for range min(n, cores) - 1 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work()
		}()
	}
	work()
	wg.Wait()
}

func (h *Handler) appendJob(j *produceJob, acks, version int16) {
	j.result, j.wait = h.producePartition(j.topic, j.rp, acks, version)
}

// worthConcurrency reports whether jobs are several distinct partitions
// carrying at least concurrentAppendBytes in all.
func worthConcurrency(jobs []produceJob) bool {
	if len(jobs) < 2 {
		return false
	}
	bytes := 0
	for _, j := range jobs {
		bytes += len(j.rp.Records)
	}
	if bytes < concurrentAppendBytes {
		return false
	}
	return distinctPartitions(jobs)
}

// distinctPartitions reports whether no partition is named twice. A
// request usually names a few: comparing pairs then costs less than a map.
func distinctPartitions(jobs []produceJob) bool {
	if len(jobs) > 16 {
		seen := make(map[partitionKey]struct{}, len(jobs))
		for _, j := range jobs {
			seen[partitionKey{j.topic, j.rp.Partition}] = struct{}{}
		}
		return len(seen) == len(jobs)
	}
	for i, j := range jobs {
		for _, k := range jobs[:i] {
			if k.rp.Partition == j.rp.Partition && k.topic == j.topic {
				return false
			}
		}
	}
	return true
}
