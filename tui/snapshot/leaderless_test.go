package snapshot

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/tui/tuitest"
	"github.com/twmb/franz-go/pkg/kerr"
)

// shardErrors answers ListOffsets as kadm does when one broker's shard
// failed: the partitions that answered, and an error for the others.
type shardErrors struct{ *fakeCluster }

func (s shardErrors) ListOffsets(ctx context.Context, ts int64, topics ...string) ([]admin.PartitionOffset, error) {
	listed, err := s.fakeCluster.ListOffsets(ctx, ts, topics...)
	if err != nil {
		return nil, err
	}
	var failed []error
	for _, o := range listed {
		if o.Err != nil {
			failed = append(failed, fmt.Errorf("%s-%d: %w", o.Topic, o.Partition, o.Err))
		}
	}
	return listed, errors.Join(failed...)
}

// leaderless is orders (3 partitions, RF 3), audit (1 partition on broker
// 3 alone) and clicks (partition 0 on broker 3 alone, 1 on broker 1),
// with records in each, and broker 3 stopped: audit-0 and clicks-0 lose
// their leader.
func leaderless(t *testing.T) *tuitest.Cluster {
	t.Helper()
	c := tuitest.NewCluster(1, 2, 3)
	for _, spec := range []admin.TopicSpec{
		{Name: "orders", Partitions: 3, ReplicationFactor: 3},
		{Name: "audit", Partitions: admin.BrokerDefault, ReplicationFactor: admin.BrokerDefault, Assignment: [][]int32{{3}}},
		{Name: "clicks", Partitions: admin.BrokerDefault, ReplicationFactor: admin.BrokerDefault, Assignment: [][]int32{{3}, {1}}},
	} {
		if _, err := c.CreateTopic(context.Background(), spec); err != nil {
			t.Fatal(err)
		}
	}
	c.AppendRecords("orders", 0, 30)
	c.AppendRecords("clicks", 0, 7)
	c.AppendRecords("clicks", 1, 5)
	c.AppendRecords("audit", 0, 3)
	return c
}

// TestCollectLeaderlessPartition: one partition without a leader blanks
// its own offsets and no other's, whether the source marks it (as
// admin.Client does) or fails the listing for it (as kadm's shard errors
// do); the topic total counts the partitions that answered.
func TestCollectLeaderlessPartition(t *testing.T) {
	tests := []struct {
		name        string
		src         func(*tuitest.Cluster) Source
		wantPartial bool
	}{
		{"marked", func(c *tuitest.Cluster) Source { return c }, false},
		{"shard error", func(c *tuitest.Cluster) Source { return shardErrors{c} }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := leaderless(t)
			src := tt.src(c)
			first := collectWith(t, src, nil, t0, Options{})
			c.StopBroker(3)
			c.AppendRecords("orders", 1, 20)
			s := collectWith(t, src, first, t0.Add(2*time.Second), Options{})
			if (s.Err != nil) != tt.wantPartial {
				t.Errorf("partial error %v", s.Err)
			}
			orders, _ := s.Topic("orders")
			if n := orders.Messages(); n != 30+20 {
				t.Errorf("orders messages %d, want 50", n)
			}
			if !orders.RateKnown || orders.Rate != 10 || orders.RateMissing != 0 {
				t.Errorf("orders rate %v known %v missing %d, want 10/s", orders.Rate, orders.RateKnown, orders.RateMissing)
			}
			clicks, _ := s.Topic("clicks")
			if p0 := clicks.Partitions[0]; p0.HighWatermark != Unknown || p0.LogStart != Unknown || p0.RateKnown {
				t.Errorf("clicks-0 (no leader) %+v", p0)
			}
			if p1 := clicks.Partitions[1]; p1.HighWatermark != 5 || !p1.RateKnown {
				t.Errorf("clicks-1 %+v", p1)
			}
			if n, unknown := clicks.KnownMessages(); n != 5 || unknown != 1 || clicks.Messages() != Unknown {
				t.Errorf("clicks known messages %d, %d unknown", n, unknown)
			}
			if !clicks.RateKnown || clicks.RateMissing != 1 {
				t.Errorf("clicks rate known %v missing %d", clicks.RateKnown, clicks.RateMissing)
			}
		})
	}
}

// TestRateAcrossUnreadRefresh: a refresh that could not read a
// partition's high watermark (its leader moving after an election, an
// action's refresh) leaves that one refresh without its rate; the next
// measures from the last one read instead of showing none again.
func TestRateAcrossUnreadRefresh(t *testing.T) {
	c := groupCluster(t)
	first := collectWith(t, c, nil, t0, Options{})
	c.AppendRecords("orders", 0, 40)
	c.FailPartition("orders", 0, kerr.NotLeaderForPartition)
	blind := collectWith(t, c, first, t0.Add(2*time.Second), Options{})
	if p0, _ := blind.Topic("orders"); p0.Partitions[0].RateKnown || p0.RateMissing != 1 {
		t.Fatalf("orders-0 unread yet has a rate: %+v", p0.Partitions[0])
	}
	c.FailPartition("orders", 0, nil)
	c.AppendRecords("orders", 0, 40)
	s := collectWith(t, c, blind, t0.Add(4*time.Second), Options{})
	orders, _ := s.Topic("orders")
	if p0 := orders.Partitions[0]; !p0.RateKnown || p0.Rate != 20 {
		t.Errorf("orders-0 rate %v known %v, want 80 records over 4s = 20/s", p0.Rate, p0.RateKnown)
	}
	if !orders.RateKnown || orders.RateMissing != 0 || orders.Rate != 20 {
		t.Errorf("orders rate %v missing %d", orders.Rate, orders.RateMissing)
	}
}
