package snapshot

import (
	"context"
	"errors"
	"testing"

	"github.com/kqhq/kq/admin"
)

// stable is a cluster whose leaders report last stable offsets of their
// own, as admin.Client's LastStableOffsets (ListOffsets read_committed)
// does: a partition whose leader failed is left out, with the error.
type stable struct {
	*fakeCluster
	lso map[string]map[int32]int64
	err error
}

func (s stable) LastStableOffsets(context.Context, ...string) (map[string]map[int32]int64, error) {
	return s.lso, s.err
}

func TestCollectLastStableOffsets(t *testing.T) {
	boom := errors.New("broker 2: dial tcp: connection refused")
	tests := []struct {
		name     string
		lso      map[string]map[int32]int64
		err      error
		want     [3]int64 // orders-0..2
		wantErr  bool
		wantHeld int64 // orders-0's offsets held back
	}{
		{"an open transaction", map[string]map[int32]int64{"orders": {0: 40, 1: 100, 2: 100}}, nil, [3]int64{40, 100, 100}, false, 60},
		{"one leader unreachable", map[string]map[int32]int64{"orders": {0: 100, 2: 100}}, boom, [3]int64{100, Unknown, 100}, true, 0},
		{"every leader unreachable", nil, boom, [3]int64{Unknown, Unknown, Unknown}, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := collectWith(t, stable{groupCluster(t), tt.lso, tt.err}, nil, t0, Options{})
			orders, _ := s.Topic("orders")
			var got [3]int64
			for i, p := range orders.Partitions {
				got[i] = p.LastStable
			}
			if got != tt.want || (s.Err != nil) != tt.wantErr {
				t.Fatalf("last stable offsets %v err %v, want %v", got, s.Err, tt.want)
			}
			if p0 := orders.Partitions[0]; p0.HighWatermark != 100 || p0.HeldBack() != tt.wantHeld {
				t.Errorf("orders-0 high watermark %d held back %d, want 100 and %d", p0.HighWatermark, p0.HeldBack(), tt.wantHeld)
			}
		})
	}
}

// TestCollectLastStableFromTheFake reads the fake's LSO: an open
// transaction's first offset.
func TestCollectLastStableFromTheFake(t *testing.T) {
	c := groupCluster(t)
	c.SetProducers("orders", 1, admin.ProducerState{ProducerID: 7, ProducerEpoch: 1, CoordinatorEpoch: -1, CurrentTransactionStartOffset: 90})
	s := collectWith(t, c, nil, t0, Options{})
	orders, _ := s.Topic("orders")
	if p := orders.Partitions[1]; p.LastStable != 90 || p.HeldBack() != 10 || orders.Partitions[0].LastStable != 100 {
		t.Fatalf("orders partitions %+v", orders.Partitions)
	}
}
