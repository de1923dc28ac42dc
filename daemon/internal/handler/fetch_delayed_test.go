package handler_test

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/store/partitionlog"
	"github.com/kqhq/kq/store/vfs"
)

// hour is a max_wait no test reaches: an answer within testTimeout came
// from a completion rule, not from the deadline.
var hour = int32(time.Hour.Milliseconds())

// TestFetchDelayedCompletion: a fetch waiting for min_bytes completes, as
// Kafka's DelayedFetch.tryComplete, as soon as waiting cannot help or the
// client must learn something. Each case starts a fetch that cannot be
// answered yet (unless immediate), triggers the event and checks the answer
// of t-0 comes long before max_wait.
func TestFetchDelayedCompletion(t *testing.T) {
	tests := []struct {
		name      string
		setup     func(f *fixture) *kmsg.FetchRequest
		immediate bool // answered by the first read
		trigger   func(f *fixture)
		code      int16
		records   bool // t-0 returns records
		diverging bool // t-0 answers a diverging epoch
	}{
		{
			name: "A: leadership moved to another broker",
			setup: func(f *fixture) *kmsg.FetchRequest {
				f.topic("t", part{leader: self, replicas: []int32{self, 2}})
				return fetchReq(hour, 1<<20, 1<<20, fetchPart{topic: "t", epoch: -1})
			},
			trigger: func(f *fixture) { f.topic("t", part{leader: 2, epoch: 1, replicas: []int32{self, 2}}) },
			code:    kerr.NotLeaderForPartition.Code,
		},
		{
			name:    "A: partition deleted",
			setup:   waitOnEmpty,
			trigger: func(f *fixture) { f.deleteTopic("t") },
			code:    kerr.UnknownTopicOrPartition.Code,
		},
		{
			name:  "B: replica moved off this broker",
			setup: waitOnEmpty,
			trigger: func(f *fixture) {
				st := kmsg.NewStopReplicaRequestTopic()
				st.Topic = "t"
				st.PartitionStates = []kmsg.StopReplicaRequestTopicPartitionState{{Partition: 0, LeaderEpoch: 1}}
				f.call(f.stopReplica(st))
			},
			code: kerr.NotLeaderForPartition.Code,
		},
		{
			name: "B: fetch offset fell below the log start",
			setup: func(f *fixture) *kmsg.FetchRequest {
				f.topic("t", ledHere(2)...)
				f.produce("t", 0, batch(1000, "a", "b", "c"))
				return fetchReq(hour, 1<<20, 1<<20, fetchPart{topic: "t", epoch: -1}, fetchPart{topic: "t", partition: 1, epoch: -1})
			},
			trigger: func(f *fixture) {
				if err := mustLog(f, "t", 0).AdvanceLogStartOffset(2); err != nil {
					f.t.Fatal(err)
				}
				f.produce("t", 1, batch(1000, "x")) // any partition's event rechecks the fetch
			},
			code: kerr.OffsetOutOfRange.Code,
		},
		{
			name: "C: fetch offset on a segment older than the high watermark's",
			setup: func(f *fixture) *kmsg.FetchRequest {
				smallSegments(f, "t", 1)
				for range 5 {
					f.produce("t", 0, batch(1000, "a"))
				}
				return fetchReq(hour, 1<<20, 1<<20, fetchPart{topic: "t", epoch: -1})
			},
			immediate: true,
			records:   true,
		},
		{
			name: "C: a segment rolls under the fetch offset",
			setup: func(f *fixture) *kmsg.FetchRequest {
				smallSegments(f, "t", 1)
				f.produce("t", 0, batch(1000, "a"))
				return fetchReq(hour, 1<<20, 1<<20, fetchPart{topic: "t", epoch: -1})
			},
			trigger: func(f *fixture) { f.produce("t", 0, batch(1000, "b")) },
			records: true,
		},
		{
			name: "C: fetch offset past the high watermark",
			setup: func(f *fixture) *kmsg.FetchRequest {
				f.topic("t", part{leader: self, replicas: []int32{self, 2}})
				f.produce("t", 0, batch(1000, "a", "b"))
				return fetchReq(hour, 1, 1<<20, fetchPart{topic: "t", offset: 1, epoch: -1})
			},
			immediate: true,
		},
		{
			name: "D: accumulated bytes reach min_bytes",
			setup: func(f *fixture) *kmsg.FetchRequest {
				f.topic("t", ledHere(1)...)
				return fetchReq(hour, int32(2*len(batch(1000, "a"))), 1<<20, fetchPart{topic: "t", epoch: -1})
			},
			trigger: func(f *fixture) {
				f.produce("t", 0, batch(1000, "a"))
				f.produce("t", 0, batch(1000, "b"))
			},
			records: true,
		},
		{
			name: "E: leader epoch fenced by a new one",
			setup: func(f *fixture) *kmsg.FetchRequest {
				f.topic("t", ledHere(1)...)
				return fetchReq(hour, 1<<20, 1<<20, fetchPart{topic: "t", epoch: 0})
			},
			trigger: func(f *fixture) { f.topic("t", part{leader: self, epoch: 1, replicas: []int32{self}}) },
			code:    kerr.FencedLeaderEpoch.Code,
		},
		{
			name: "E: diverging epoch",
			setup: func(f *fixture) *kmsg.FetchRequest {
				f.topic("t", part{leader: self, epoch: 1, replicas: []int32{self, 2}})
				f.produce("t", 0, batch(1000, "a"))
				f.topic("t", part{leader: self, epoch: 3, replicas: []int32{self, 2}})
				f.produce("t", 0, batch(1000, "b", "c"))
				req := followerFetch(2, "t", 0, 2)
				req.MaxWaitMillis, req.MinBytes = hour, 1<<20
				req.Topics[0].Partitions[0].LastFetchedEpoch = 2 // an epoch this log never had
				return req
			},
			immediate: true,
			diverging: true,
		},
		{
			name: "F: the partition's log dir failed",
			setup: func(f *fixture) *kmsg.FetchRequest {
				smallSegments(f, "t", 2)
				f.produce("t", 0, batch(1000, "a"))
				return fetchReq(hour, 1<<20, 1<<20, fetchPart{topic: "t", offset: 1, epoch: -1}, fetchPart{topic: "t", partition: 1, epoch: -1})
			},
			trigger: failLogDir,
			code:    kerr.KafkaStorageError.Code,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			req := tc.setup(f)
			out, err := f.send(req)
			if err != nil {
				t.Fatal(err)
			}
			if isReady(out) != tc.immediate {
				t.Fatalf("answered at once: %v, want %v", isReady(out), tc.immediate)
			}
			if tc.trigger != nil {
				tc.trigger(f)
			}
			resp := f.settle(req, out).(*kmsg.FetchResponse)
			p := resp.Topics[0].Partitions[0]
			if p.ErrorCode != tc.code || (len(p.RecordBatches) > 0) != tc.records || (p.DivergingEpoch.Epoch >= 0) != tc.diverging {
				t.Fatalf("t-0: code %d with %d record bytes, diverging %+v; want code %d, records %v, diverging %v",
					p.ErrorCode, len(p.RecordBatches), p.DivergingEpoch, tc.code, tc.records, tc.diverging)
			}
		})
	}
}

// waitOnEmpty: a topic led here and a fetch waiting on its empty log.
func waitOnEmpty(f *fixture) *kmsg.FetchRequest {
	f.topic("t", ledHere(1)...)
	return fetchReq(hour, 1, 1<<20, fetchPart{topic: "t", epoch: -1})
}

// smallSegments creates a topic of n partitions led here whose every
// batch of one small record is a segment of its own.
func smallSegments(f *fixture, topic string, n int) {
	f.logCfg.set(topic, func(c *partitionlog.Config) { c.SegmentBytes = int64(len(batch(1000, "a")) + 1) })
	f.topic(topic, ledHere(n)...)
}

// failLogDir takes t-0's log dir offline: its disk fails every operation
// on t-0's files with EIO, so the next produce's roll fails. As in Kafka,
// where nothing completes delayed fetches when a dir fails, the fetch learns
// it at its next wake-up: here the controller's LeaderAndIsr that follows
// the broker's log dir event, which the broker answers KAFKA_STORAGE_ERROR
// for both partitions of the failed dir (waking what waits on them).
func failLogDir(f *fixture) {
	f.faults.Add(&vfs.Rule{Name: filepath.Join(f.logs.Dirs()[0], "t-0", "*"), Err: syscall.EIO})
	resp := f.call(produceReq(1, "t", 0, batch(1000, "b"))).(*kmsg.ProduceResponse)
	if code := resp.Topics[0].Partitions[0].ErrorCode; code != kerr.KafkaStorageError.Code {
		f.t.Fatalf("produce into the blocked roll: code %d, want KAFKA_STORAGE_ERROR", code)
	}
	lai := f.call(f.leaderAndIsr(kmsg.LeaderAndISRRequestTopicState{Topic: "t", TopicID: f.topicID("t"),
		PartitionStates: f.leaderAndIsrStates(ledHere(2))})).(*kmsg.LeaderAndISRResponse)
	for _, tr := range lai.Topics {
		for _, p := range tr.Partitions {
			if p.ErrorCode != kerr.KafkaStorageError.Code {
				f.t.Fatalf("LeaderAndIsr t-%d: code %d, want KAFKA_STORAGE_ERROR", p.Partition, p.ErrorCode)
			}
		}
	}
}
