package snapshot

import (
	"context"
	"errors"
	"testing"

	"github.com/kqhq/kq/tui/tuitest"
)

// fakeCluster names tuitest's cluster so that embedding it does not hide
// its Cluster method behind a field of that name.
type fakeCluster = tuitest.Cluster

// sized is a cluster that can tell topic sizes, as admin.Client's
// TopicSizes (DescribeLogDirs) does.
type sized struct {
	*fakeCluster
	sizes map[string]int64
	err   error
}

func (s sized) TopicSizes(context.Context) (map[string]int64, error) { return s.sizes, s.err }

func TestCollectSizes(t *testing.T) {
	boom := errors.New("broker 3: dial tcp: connection refused")
	tests := []struct {
		name      string
		src       Source
		wantOrder int64
		wantAudit int64
		wantErr   bool
	}{
		{"no size source", groupCluster(t), Unknown, Unknown, false},
		{"sizes", sized{groupCluster(t), map[string]int64{"orders": 3 << 20}, nil}, 3 << 20, Unknown, false},
		// A broker that could not be asked: the others' sizes, and the error.
		{"partial", sized{groupCluster(t), map[string]int64{"orders": 1 << 20}, boom}, 1 << 20, Unknown, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := collectWith(t, tt.src, nil, t0, Options{})
			orders, _ := s.Topic("orders")
			audit, _ := s.Topic("audit")
			if orders.Size != tt.wantOrder || audit.Size != tt.wantAudit || (s.Err != nil) != tt.wantErr {
				t.Errorf("orders %d audit %d err %v", orders.Size, audit.Size, s.Err)
			}
		})
	}
}
