package controller_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/kqhq/kq/daemon/kafkazk"
)

// A topic none of whose replicas was ever live has no leader to announce:
// as Kafka's controller, kq leaves it out of UpdateMetadata (so no broker
// lists it) until a replica comes and leads it.
func TestControllerAnnouncesPartitionsWithTheirFirstLeader(t *testing.T) {
	c := newCluster(t)
	zk1 := c.startBroker(1)
	ctx := context.Background()
	// "later" first: by the time "now" is announced, the controller has
	// taken "later" up too.
	for _, spec := range []kafkazk.TopicSpec{
		{Name: "later", Assignment: map[int32][]int32{0: {3}}},
		{Name: "now", Assignment: map[int32][]int32{0: {1}}},
	} {
		if _, err := zk1.CreateTopic(ctx, spec); err != nil {
			t.Fatal(err)
		}
	}
	c.eventually("now announced", func() error {
		if got := c.rec.leaders(1, "now"); got[0] != 1 {
			return fmt.Errorf("leaders = %v", got)
		}
		return nil
	})
	if got := c.rec.leaders(1, "later"); len(got) != 0 {
		t.Fatalf("topic without a live replica announced: leaders %v", got)
	}
	c.startBroker(3)
	c.eventually("later announced with its leader", func() error {
		if got := c.rec.leaders(1, "later"); len(got) != 1 || got[0] != 3 {
			return fmt.Errorf("leaders = %v", got)
		}
		return nil
	})
}
