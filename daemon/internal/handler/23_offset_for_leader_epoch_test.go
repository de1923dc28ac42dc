package handler_test

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

func offsetForLeaderEpochReq(topic string, partition, current, epoch int32) *kmsg.OffsetForLeaderEpochRequest {
	req := kmsg.NewPtrOffsetForLeaderEpochRequest()
	req.Version, req.ReplicaID = 4, -1
	rt := kmsg.NewOffsetForLeaderEpochRequestTopic()
	rt.Topic = topic
	rt.Partitions = []kmsg.OffsetForLeaderEpochRequestTopicPartition{{Partition: partition, CurrentLeaderEpoch: current, LeaderEpoch: epoch}}
	req.Topics = []kmsg.OffsetForLeaderEpochRequestTopic{rt}
	return req
}

// TestOffsetForLeaderEpoch over a log written in epoch 0 (offsets 0-2) and
// epoch 2 (offsets 3-4): each epoch's end is where the next one starts.
func TestOffsetForLeaderEpoch(t *testing.T) {
	tests := []struct {
		name      string
		req       *kmsg.OffsetForLeaderEpochRequest
		code      int16
		epoch     int32
		endOffset int64
	}{
		{name: "first epoch", req: offsetForLeaderEpochReq("t", 0, 2, 0), epoch: 0, endOffset: 3},
		{name: "epoch never written is answered with the one before", req: offsetForLeaderEpochReq("t", 0, 2, 1), epoch: 0, endOffset: 3},
		{name: "current epoch ends at the log end", req: offsetForLeaderEpochReq("t", 0, 2, 2), epoch: 2, endOffset: 5},
		{name: "epoch above all", req: offsetForLeaderEpochReq("t", 0, -1, 7), epoch: -1, endOffset: -1},
		{name: "no current epoch", req: offsetForLeaderEpochReq("t", 0, -1, 2), epoch: 2, endOffset: 5},
		{name: "fenced", req: offsetForLeaderEpochReq("t", 0, 1, 0), code: kerr.FencedLeaderEpoch.Code, epoch: -1, endOffset: -1},
		{name: "unknown leader epoch", req: offsetForLeaderEpochReq("t", 0, 3, 0), code: kerr.UnknownLeaderEpoch.Code, epoch: -1, endOffset: -1},
		{name: "unknown topic", req: offsetForLeaderEpochReq("nope", 0, -1, 0), code: kerr.UnknownTopicOrPartition.Code, epoch: -1, endOffset: -1},
		{name: "not the leader", req: offsetForLeaderEpochReq("f", 0, -1, 0), code: kerr.NotLeaderForPartition.Code, epoch: -1, endOffset: -1},
	}
	f := newFixture(t)
	f.topic("t", ledHere(1)...)
	f.produce("t", 0, batch(1000, "a", "b", "c"))
	f.topic("t", part{leader: self, epoch: 2, replicas: []int32{self}})
	f.produce("t", 0, batch(1000, "d", "e"))
	f.topic("f", part{leader: 2, replicas: []int32{2, self}})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := f.call(tc.req).(*kmsg.OffsetForLeaderEpochResponse).Topics[0].Partitions[0]
			if p.ErrorCode != tc.code || p.LeaderEpoch != tc.epoch || p.EndOffset != tc.endOffset {
				t.Fatalf("code %d epoch %d end %d, want %d %d %d", p.ErrorCode, p.LeaderEpoch, p.EndOffset, tc.code, tc.epoch, tc.endOffset)
			}
		})
	}
}
