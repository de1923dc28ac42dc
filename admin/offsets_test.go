package admin

import (
	"errors"
	"testing"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

func listOffsetsReq(topic string, partitions ...int32) *kmsg.ListOffsetsRequest {
	req := kmsg.NewPtrListOffsetsRequest()
	rt := kmsg.NewListOffsetsRequestTopic()
	rt.Topic = topic
	for _, p := range partitions {
		rp := kmsg.NewListOffsetsRequestTopicPartition()
		rp.Partition = p
		rt.Partitions = append(rt.Partitions, rp)
	}
	req.Topics = append(req.Topics, rt)
	return req
}

// TestKeepAnsweredShards: one leaderless partition must not blank the
// offsets every other leader answered; only a total failure is an error.
func TestKeepAnsweredShards(t *testing.T) {
	noLeader := errors.New("unknown partition leader")
	answered := func() kadm.ListedOffsets {
		return kadm.ListedOffsets{"a": {0: {Topic: "a", Partition: 0, Offset: 7}}}
	}
	tests := []struct {
		name     string
		err      error
		wantErr  bool
		wantKeys map[string]map[int32]error // partition -> its error (nil when answered)
	}{
		{"no error", nil, false, map[string]map[int32]error{"a": {0: nil}}},
		{"one shard failed", &kadm.ShardErrors{Errs: []kadm.ShardError{{Req: listOffsetsReq("b", 0, 1), Err: noLeader}}},
			false, map[string]map[int32]error{"a": {0: nil}, "b": {0: noLeader, 1: noLeader}}},
		{"every shard failed", &kadm.ShardErrors{AllFailed: true, Errs: []kadm.ShardError{{Req: listOffsetsReq("a", 0), Err: noLeader}}}, true, nil},
		{"not a shard error", kerr.UnknownServerError, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			listed := answered()
			err := keepAnsweredShards(listed, tt.err)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			for topic, parts := range tt.wantKeys {
				for p, want := range parts {
					got, ok := listed[topic][p]
					if !ok || !errors.Is(got.Err, want) {
						t.Fatalf("%s/%d: %+v, want err %v", topic, p, got, want)
					}
				}
			}
			if listed["a"][0].Offset != 7 {
				t.Fatalf("answered partition lost: %+v", listed["a"][0])
			}
		})
	}
}

// TestPartitionOffsetsKeepsOtherTopics: a topic whose metadata failed (just
// created, just deleted) does not take the other topics' offsets with it;
// a listing where every topic failed is an error.
func TestPartitionOffsetsKeepsOtherTopics(t *testing.T) {
	gone := kerr.UnknownTopicOrPartition
	listed := kadm.ListedOffsets{
		"kept": {0: {Topic: "kept", Partition: 0, Offset: 7}},
		"new":  {-1: {Topic: "new", Partition: -1, Err: kerr.LeaderNotAvailable}},
	}
	got, err := partitionOffsets(listed)
	if err != nil || len(got) != 2 || got[0].Topic != "kept" || got[0].Offset != 7 || !errors.Is(got[1].Err, kerr.LeaderNotAvailable) {
		t.Fatalf("partial listing: %+v, %v", got, err)
	}
	_, err = partitionOffsets(kadm.ListedOffsets{"gone": {-1: {Topic: "gone", Partition: -1, Err: gone}}})
	if !errors.Is(err, gone) {
		t.Fatalf("every topic failed: %v", err)
	}
}
