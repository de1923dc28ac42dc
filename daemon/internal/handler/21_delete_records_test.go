package handler_test

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/store/partitionlog"
)

func deleteRecordsReq(topic string, partition int32, offset int64) *kmsg.DeleteRecordsRequest {
	req := kmsg.NewPtrDeleteRecordsRequest()
	req.Version, req.TimeoutMillis = 2, int32(testTimeout.Milliseconds())
	rt := kmsg.NewDeleteRecordsRequestTopic()
	rt.Topic = topic
	rt.Partitions = []kmsg.DeleteRecordsRequestTopicPartition{{Partition: partition, Offset: offset}}
	req.Topics = []kmsg.DeleteRecordsRequestTopic{rt}
	return req
}

func TestDeleteRecords(t *testing.T) {
	tests := []struct {
		name      string
		req       *kmsg.DeleteRecordsRequest
		before    int64 // log start moved here first
		code      int16
		low       int64
		wantStart int64
	}{
		{name: "before an offset", req: deleteRecordsReq("t", 0, 2), low: 2, wantStart: 2},
		{name: "-1 is the high watermark", req: deleteRecordsReq("t", 0, -1), low: 3, wantStart: 3},
		{name: "at the high watermark", req: deleteRecordsReq("t", 0, 3), low: 3, wantStart: 3},
		{name: "past the high watermark", req: deleteRecordsReq("t", 0, 4), code: kerr.OffsetOutOfRange.Code, low: -1},
		{name: "negative other than -1", req: deleteRecordsReq("t", 0, -2), code: kerr.OffsetOutOfRange.Code, low: -1},
		{name: "below the log start", req: deleteRecordsReq("t", 0, 1), before: 2, low: 2, wantStart: 2},
		{name: "unknown topic", req: deleteRecordsReq("nope", 0, 1), code: kerr.UnknownTopicOrPartition.Code, low: -1},
		{name: "unknown partition", req: deleteRecordsReq("t", 9, 1), code: kerr.UnknownTopicOrPartition.Code, low: -1},
		{name: "not the leader", req: deleteRecordsReq("f", 0, 1), code: kerr.NotLeaderForPartition.Code, low: -1},
		// Kafka keeps a compact-only topic's records (__consumer_offsets'
		// offsets) from DeleteRecords.
		{name: "cleanup.policy without delete", req: deleteRecordsReq("c", 0, 1), code: kerr.PolicyViolation.Code, low: -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.topic("t", ledHere(1)...)
			f.topic("f", part{leader: 2, replicas: []int32{2, self}})
			f.logCfg.set("c", func(c *partitionlog.Config) { c.Compacted, c.NoDeletePolicy = true, true })
			f.topic("c", ledHere(1)...)
			f.produce("c", 0, keyedBatch([]int64{1000, 1000}, "k1", "k2"))
			f.produce("t", 0, batch(1000, "a", "b", "c"))
			log := mustLog(f, "t", 0)
			if tc.before > 0 {
				if err := log.AdvanceLogStartOffset(tc.before); err != nil {
					t.Fatal(err)
				}
			}
			p := f.call(tc.req).(*kmsg.DeleteRecordsResponse).Topics[0].Partitions[0]
			if p.ErrorCode != tc.code || p.LowWatermark != tc.low {
				t.Fatalf("code %d low watermark %d, want %d and %d", p.ErrorCode, p.LowWatermark, tc.code, tc.low)
			}
			want := max(tc.wantStart, tc.before)
			if got := log.LogStartOffset(); got != want {
				t.Errorf("log start %d, want %d", got, want)
			}
		})
	}
}
