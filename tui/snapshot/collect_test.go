package snapshot

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/admintest"
)

var t0 = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// newCluster is three brokers with topic "orders" (3 partitions, RF 3,
// min.insync.replicas 2) and topic "audit" (1 partition on broker 3 only).
func newCluster(t *testing.T) *admintest.Cluster {
	t.Helper()
	c := admintest.NewCluster(1, 2, 3)
	ctx := context.Background()
	specs := []admin.TopicSpec{
		{Name: "orders", Partitions: admin.BrokerDefault, ReplicationFactor: admin.BrokerDefault,
			Assignment: [][]int32{{1, 2, 3}, {2, 3, 1}, {3, 1, 2}}, Configs: map[string]string{"min.insync.replicas": "2"}},
		{Name: "audit", Partitions: admin.BrokerDefault, ReplicationFactor: admin.BrokerDefault,
			Assignment: [][]int32{{3}}},
	}
	for _, s := range specs {
		if _, err := c.CreateTopic(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func produce(c *admintest.Cluster, topic string, partition int32, n int) {
	p := c.NewProducer(admin.ProducerConfig{})
	for range n {
		p.Produce(context.Background(), admin.Record{Topic: topic, Partition: partition}, func(admin.Record, error) {})
	}
}

func collect(t *testing.T, c *admintest.Cluster, prev *Snapshot, at time.Time) *Snapshot {
	t.Helper()
	s, err := Collect(context.Background(), c, prev, at)
	if err != nil {
		t.Fatalf("collect: %v", err)
	}
	return s
}

func TestCollectHealthy(t *testing.T) {
	c := newCluster(t)
	produce(c, "orders", 1, 5)
	c.SetLogStart("orders", 1, 2)
	s := collect(t, c, nil, t0)
	if s.ClusterID != "test-cluster" || s.Controller != 1 || s.LiveBrokers() != 3 || s.Problems() != 0 || s.Err != nil {
		t.Fatalf("snapshot %+v", s)
	}
	orders, _ := s.Topic("orders")
	if orders.ReplicationFactor != 3 || orders.MinISR != 2 || orders.RateKnown {
		t.Errorf("orders %+v", orders)
	}
	p1 := orders.Partitions[1]
	if p1.LogStart != 2 || p1.HighWatermark != 5 || p1.Messages() != 3 {
		t.Errorf("orders-1 offsets %d..%d", p1.LogStart, p1.HighWatermark)
	}
	wantLeaders := map[int32]int{1: 1, 2: 1, 3: 2}
	for _, b := range s.Brokers {
		if b.Leaders != wantLeaders[b.ID] || !b.Alive || b.Controller != (b.ID == 1) {
			t.Errorf("broker %+v", b)
		}
	}
}

func TestCollectDegraded(t *testing.T) {
	c := newCluster(t)
	first := collect(t, c, nil, t0)
	c.StopBroker(3)
	c.SetISR("orders", 0, 1) // shrunk below min.insync.replicas 2
	s := collect(t, c, first, t0.Add(2*time.Second))

	b3, _ := s.Broker(3)
	if b3.Alive || b3.Host != "localhost" || !b3.DeadSince.Equal(t0.Add(2*time.Second)) || b3.Leaders != 0 || b3.OutOfSync != 3 {
		t.Errorf("dead broker %+v", b3)
	}
	if s.Controller != 1 || s.LiveBrokers() != 2 {
		t.Errorf("controller %d live %d", s.Controller, s.LiveBrokers())
	}
	orders, _ := s.Topic("orders")
	if orders.UnderReplicated != 3 || orders.UnderMinISR != 1 || orders.Offline != 0 {
		t.Errorf("orders counts urp %d min %d offline %d", orders.UnderReplicated, orders.UnderMinISR, orders.Offline)
	}
	if got := orders.Partitions[0].Missing; !slices.Equal(got, []int32{2, 3}) {
		t.Errorf("orders-0 missing %v", got)
	}
	audit, _ := s.Topic("audit")
	// As in Kafka, the last in-sync replica stays in the ISR of an offline
	// partition: broker 3 is out of sync on the three orders partitions only.
	if audit.Offline != 1 || !audit.Partitions[0].Offline() || len(audit.Partitions[0].Missing) != 0 {
		t.Errorf("audit %+v", audit)
	}

	// The dead broker keeps its DeadSince on later refreshes.
	again := collect(t, c, s, t0.Add(4*time.Second))
	if b, _ := again.Broker(3); !b.DeadSince.Equal(b3.DeadSince) {
		t.Errorf("dead since moved: %v", b.DeadSince)
	}
}

func TestCollectRates(t *testing.T) {
	tests := []struct {
		name     string
		between  func(c *admintest.Cluster)
		wantRate float64
		wantKnow bool
	}{
		{"produced", func(c *admintest.Cluster) { produce(c, "orders", 2, 10) }, 5, true},
		{"idle", func(c *admintest.Cluster) {}, 0, true},
		// The fake keeps a name's topic id, so the recreated log looks
		// truncated: no honest rate either way.
		{"recreated", func(c *admintest.Cluster) {
			ctx := context.Background()
			_ = c.DeleteTopics(ctx, "orders")
			_, _ = c.CreateTopic(ctx, admin.TopicSpec{Name: "orders", Partitions: 3, ReplicationFactor: 3})
		}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCluster(t)
			produce(c, "orders", 2, 4)
			first := collect(t, c, nil, t0)
			tt.between(c)
			s := collect(t, c, first, t0.Add(2*time.Second))
			orders, _ := s.Topic("orders")
			p2 := orders.Partitions[2]
			if p2.Rate != tt.wantRate || p2.RateKnown != tt.wantKnow {
				t.Errorf("orders-2 rate %v known %v, want %v %v", p2.Rate, p2.RateKnown, tt.wantRate, tt.wantKnow)
			}
			if orders.Rate != tt.wantRate || !orders.RateKnown {
				t.Errorf("topic rate %v known %v, want %v (the other partitions are idle)", orders.Rate, orders.RateKnown, tt.wantRate)
			}
		})
	}
}

func TestCollectFailures(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		op          string
		wantErr     bool // no snapshot at all
		wantPartial bool
	}{
		{"Cluster", true, false},
		{"Topics", true, false},
		{"ListOffsets", false, true},
		{"TopicConfigValues", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			c := newCluster(t)
			c.Fail(tt.op, boom)
			s, err := Collect(context.Background(), c, nil, t0)
			if (err != nil) != tt.wantErr || err != nil && !errors.Is(err, boom) {
				t.Fatalf("err %v", err)
			}
			if tt.wantErr {
				return
			}
			if errors.Is(s.Err, boom) != tt.wantPartial {
				t.Errorf("partial err %v", s.Err)
			}
			if len(s.Topics) != 2 || len(s.Brokers) != 3 {
				t.Errorf("metadata lost: %d topics %d brokers", len(s.Topics), len(s.Brokers))
			}
		})
	}
}
