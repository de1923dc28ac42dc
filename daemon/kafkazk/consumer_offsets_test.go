package kafkazk

import (
	"context"
	"testing"

	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/embedded"
)

// Version-0 offsets live where Kafka's ZooKeeper-mode broker (and the old
// ZooKeeper consumers) keep them: a decimal string per partition znode.
func TestConsumerOffsetsUseKafkasZnodes(t *testing.T) {
	srv, err := embedded.New("", embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()
	c := newClient(t, srv)
	if _, ok, err := c.ConsumerOffset(ctx, "g", "t", 3); ok || err != nil {
		t.Fatalf("before a commit: ok=%v err=%v", ok, err)
	}
	for _, offset := range []int64{17, 18} { // create, then overwrite
		if err := c.SetConsumerOffset(ctx, "g", "t", 3, offset); err != nil {
			t.Fatal(err)
		}
	}
	data, _, err := c.Store().Get(ctx, "/consumers/g/offsets/t/3")
	if err != nil || string(data) != "18" {
		t.Fatalf("znode holds %q (%v), want \"18\"", data, err)
	}
	if got, ok, err := c.ConsumerOffset(ctx, "g", "t", 3); got != 18 || !ok || err != nil {
		t.Fatalf("ConsumerOffset = %d %v %v", got, ok, err)
	}
	if _, err := c.Store().Set(ctx, "/consumers/g/offsets/t/3", []byte("junk"), meta.AnyVersion); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.ConsumerOffset(ctx, "g", "t", 3); err == nil {
		t.Fatal("a znode that holds no number read as an offset")
	}
}
