package snapshot

import (
	"context"
	"errors"
	"testing"
)

// ended is a cluster whose leaders report log ends of their own, as
// admin.Client's LogEndOffsets (ListOffsets as a debugging replica) does.
type ended struct {
	*fakeCluster
	ends map[string]map[int32]int64
	err  error
}

func (e ended) LogEndOffsets(context.Context, ...string) (map[string]map[int32]int64, error) {
	return e.ends, e.err
}

func TestCollectLogEnds(t *testing.T) {
	boom := errors.New("broker 2: dial tcp: connection refused")
	tests := []struct {
		name     string
		ends     map[string]map[int32]int64
		err      error
		want0    int64 // orders-0
		want1    int64 // orders-1
		wantErr  bool
		wantPast bool // orders-0's log end past its high watermark
	}{
		{"unreplicated records", map[string]map[int32]int64{"orders": {0: 1 << 40, 1: 7}}, nil, 1 << 40, 7, false, true},
		{"one leader unreachable", map[string]map[int32]int64{"orders": {1: 7}}, boom, Unknown, 7, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := collectWith(t, ended{groupCluster(t), tt.ends, tt.err}, nil, t0, Options{})
			orders, _ := s.Topic("orders")
			p0, p1 := orders.Partitions[0], orders.Partitions[1]
			if p0.LogEnd != tt.want0 || p1.LogEnd != tt.want1 || (s.Err != nil) != tt.wantErr {
				t.Fatalf("log ends %d %d err %v, want %d %d", p0.LogEnd, p1.LogEnd, s.Err, tt.want0, tt.want1)
			}
			if past := p0.LogEnd != Unknown && p0.LogEnd > p0.HighWatermark; past != tt.wantPast {
				t.Errorf("orders-0 log end %d, high watermark %d", p0.LogEnd, p0.HighWatermark)
			}
		})
	}
}
