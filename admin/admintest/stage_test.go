package admintest

import (
	"context"
	"slices"
	"testing"

	"github.com/kqhq/kq/admin"
)

func TestStopBroker(t *testing.T) {
	ctx := context.Background()
	c := NewCluster(1, 2, 3)
	assignment := [][]int32{{1, 2, 3}, {2, 3, 1}, {3}}
	if _, err := c.CreateTopic(ctx, admin.TopicSpec{Name: "t", Partitions: admin.BrokerDefault,
		ReplicationFactor: admin.BrokerDefault, Assignment: assignment}); err != nil {
		t.Fatal(err)
	}
	c.StopBroker(1)
	c.StopBroker(3)
	cl, _ := c.Cluster(ctx)
	if len(cl.Brokers) != 1 || cl.Brokers[0].ID != 2 || cl.Controller != 2 {
		t.Fatalf("cluster after stops: %+v", cl)
	}
	topics, _ := c.Topics(ctx, "t")
	want := []struct {
		leader int32
		isr    []int32
	}{
		{2, []int32{2}},  // leader 1 gone: next in ISR
		{2, []int32{2}},  // follower gone: ISR shrinks
		{-1, []int32{3}}, // last ISR member kept, partition offline
	}
	for i, w := range want {
		p := topics[0].Partitions[i]
		if p.Leader != w.leader || !slices.Equal(p.ISR, w.isr) {
			t.Errorf("partition %d: leader %d isr %v, want %d %v", i, p.Leader, p.ISR, w.leader, w.isr)
		}
	}
}

func TestSetLogStart(t *testing.T) {
	ctx := context.Background()
	c := NewCluster()
	_, _ = c.CreateTopic(ctx, admin.TopicSpec{Name: "t", Partitions: 1, ReplicationFactor: 1})
	p := c.NewProducer(admin.ProducerConfig{})
	for range 3 {
		p.Produce(ctx, admin.Record{Topic: "t", Partition: 0}, func(admin.Record, error) {})
	}
	c.SetLogStart("t", 0, 2)
	start, _ := c.ListOffsets(ctx, admin.EarliestOffset, "t")
	end, _ := c.ListOffsets(ctx, admin.LatestOffset, "t")
	if start[0].Offset != 2 || end[0].Offset != 3 {
		t.Fatalf("start %d end %d, want 2 3", start[0].Offset, end[0].Offset)
	}
}

func TestTopicConfigValues(t *testing.T) {
	ctx := context.Background()
	c := NewCluster()
	_, _ = c.CreateTopic(ctx, admin.TopicSpec{Name: "a", Partitions: 1, ReplicationFactor: 1,
		Configs: map[string]string{"min.insync.replicas": "2"}})
	_, _ = c.CreateTopic(ctx, admin.TopicSpec{Name: "b", Partitions: 1, ReplicationFactor: 1})
	got, err := c.TopicConfigValues(ctx, "min.insync.replicas", "a", "b", "gone")
	if err != nil || len(got) != 2 || got["a"] != "2" || got["b"] != "1" {
		t.Fatalf("got %v %v", got, err)
	}
}

func TestAppendRecords(t *testing.T) {
	ctx := context.Background()
	c := NewCluster()
	_, _ = c.CreateTopic(ctx, admin.TopicSpec{Name: "t", Partitions: 2, ReplicationFactor: 1})
	c.AppendRecords("t", 1, 1000)
	c.AppendRecords("t", 1, 5)
	end, _ := c.ListOffsets(ctx, admin.LatestOffset, "t")
	if end[0].Offset != 0 || end[1].Offset != 1005 {
		t.Fatalf("ends %+v", end)
	}
	if recs := c.Records("t", 1); recs[1004].Offset != 1004 {
		t.Fatalf("last record %+v", recs[1004])
	}
}
