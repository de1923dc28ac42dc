package meta_test

import (
	"context"
	"testing"
	"time"

	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/embedded"
)

// countingStore counts Create calls, the round trips CreateRecursive makes.
type countingStore struct {
	meta.Store
	creates int
}

func (c *countingStore) Create(ctx context.Context, path string, data []byte, mode meta.CreateMode) (string, error) {
	c.creates++
	return c.Store.Create(ctx, path, data, mode)
}

func TestCreateRecursiveCalls(t *testing.T) {
	srv, err := embedded.New("", embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	inner, err := srv.Connect(time.Second)
	if err != nil {
		t.Fatal(err)
	}
	s := &countingStore{Store: inner}
	ctx := context.Background()
	tests := []struct {
		path  string
		calls int
	}{
		{"/brokers/topics/t", 5},                    // t fails, topics fails, brokers, topics, t
		{"/brokers/topics/u", 1},                    // parent exists
		{"/brokers/topics/u/partitions/0/state", 5}, // two missing levels
	}
	for _, tt := range tests {
		s.creates = 0
		if _, err := meta.CreateRecursive(ctx, s, tt.path, nil, meta.Persistent); err != nil {
			t.Fatal(err)
		}
		if s.creates != tt.calls {
			t.Errorf("CreateRecursive(%s) made %d Create calls, want %d", tt.path, s.creates, tt.calls)
		}
	}
	s.creates = 0
	if err := meta.EnsurePath(ctx, s, "/brokers/topics"); err != nil || s.creates != 1 {
		t.Errorf("EnsurePath of an existing path: %v after %d calls, want 1", err, s.creates)
	}
}
