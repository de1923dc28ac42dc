package handler_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// fakeLegacyOffsets is the metadata store's /consumers offsets in memory;
// failing makes every access fail as a lost session would.
type fakeLegacyOffsets struct {
	mu      sync.Mutex
	offsets map[string]int64 // "group/topic/partition"
	failing bool
}

func legacyKey(group, topic string, p int32) string { return fmt.Sprintf("%s/%s/%d", group, topic, p) }

func (l *fakeLegacyOffsets) SetConsumerOffset(_ context.Context, group, topic string, p int32, offset int64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.failing {
		return errors.New("session expired")
	}
	l.offsets[legacyKey(group, topic, p)] = offset
	return nil
}

func (l *fakeLegacyOffsets) ConsumerOffset(_ context.Context, group, topic string, p int32) (int64, bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.failing {
		return 0, false, errors.New("session expired")
	}
	o, ok := l.offsets[legacyKey(group, topic, p)]
	return o, ok, nil
}

func commitV0(f *fixture, group, topic string, p int32, offset int64, metadata string) int16 {
	f.t.Helper()
	req := kmsg.NewPtrOffsetCommitRequest()
	req.Version, req.Group = 0, group
	req.Topics = []kmsg.OffsetCommitRequestTopic{{Topic: topic, Partitions: []kmsg.OffsetCommitRequestTopicPartition{
		{Partition: p, Offset: offset, Metadata: &metadata}}}}
	return f.call(req).(*kmsg.OffsetCommitResponse).Topics[0].Partitions[0].ErrorCode
}

func fetchV0(f *fixture, group, topic string, p int32) kmsg.OffsetFetchResponseTopicPartition {
	f.t.Helper()
	req := kmsg.NewPtrOffsetFetchRequest()
	req.Version, req.Group = 0, group
	req.Topics = []kmsg.OffsetFetchRequestTopic{{Topic: topic, Partitions: []int32{p}}}
	return f.call(req).(*kmsg.OffsetFetchResponse).Topics[0].Partitions[0]
}

// Version 0 of OffsetCommit and OffsetFetch keeps offsets in ZooKeeper, as
// Kafka's ZooKeeper-mode broker does, never in __consumer_offsets: no
// coordinator is involved, so it works although that topic does not exist
// here (through the coordinator it would answer NOT_COORDINATOR).
func TestOffsetsVersion0AreKeptInTheMetadataStore(t *testing.T) {
	f := newFixture(t)
	f.topic("t", ledHere(2)...)
	if got := fetchV0(f, "old", "t", 1); got.Offset != -1 || got.ErrorCode != kerr.UnknownTopicOrPartition.Code {
		t.Fatalf("fetch before any commit: %+v", got)
	}
	if code := commitV0(f, "old", "t", 1, 42, "m"); code != 0 {
		t.Fatalf("commit v0: %v", kerr.ErrorForCode(code))
	}
	if got := f.legacy.offsets[legacyKey("old", "t", 1)]; got != 42 {
		t.Fatalf("metadata store holds %d, want 42", got)
	}
	if got := fetchV0(f, "old", "t", 1); got.Offset != 42 || got.ErrorCode != 0 || *got.Metadata != "" {
		t.Fatalf("fetch v0: %+v", got)
	}
}

func TestOffsetCommitVersion0Refusals(t *testing.T) {
	f := newFixture(t)
	f.topic("t", ledHere(1)...)
	tests := []struct {
		name, group, topic, metadata string
		want                         int16
	}{
		{"unknown topic", "g", "nope", "", kerr.UnknownTopicOrPartition.Code},
		{"empty group", "", "t", "", kerr.InvalidGroupID.Code},
		{"metadata too large", "g", "t", strings.Repeat("x", 4097), kerr.OffsetMetadataTooLarge.Code},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code := commitV0(f, tt.group, tt.topic, 0, 1, tt.metadata); code != tt.want {
				t.Fatalf("got %v, want %v", kerr.ErrorForCode(code), kerr.ErrorForCode(tt.want))
			}
		})
	}
	if len(f.legacy.offsets) != 0 {
		t.Fatalf("refused commits were written: %v", f.legacy.offsets)
	}
	f.legacy.failing = true
	if code := commitV0(f, "g", "t", 0, 1, ""); code != kerr.UnknownServerError.Code {
		t.Fatalf("commit with the store down: %v", kerr.ErrorForCode(code))
	}
	if got := fetchV0(f, "g", "t", 0); got.Offset != -1 || got.ErrorCode != kerr.UnknownServerError.Code {
		t.Fatalf("fetch with the store down: %+v", got)
	}
}
