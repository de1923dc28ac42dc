package admintest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/twmb/franz-go/pkg/kerr"
)

func TestCreateDescribeProduceConsume(t *testing.T) {
	ctx := context.Background()
	c := NewCluster(1, 2)
	created, err := c.CreateTopic(ctx, admin.TopicSpec{Name: "t", Partitions: 2, ReplicationFactor: 2})
	if err != nil || created.Partitions != 2 || created.ReplicationFactor != 2 {
		t.Fatalf("create: %+v %v", created, err)
	}
	if _, err := c.CreateTopic(ctx, admin.TopicSpec{Name: "t", Partitions: 1, ReplicationFactor: 1}); !errors.Is(err, kerr.TopicAlreadyExists) {
		t.Fatalf("second create: %v", err)
	}
	topics, _ := c.Topics(ctx, "t", "missing")
	if len(topics) != 2 || topics[0].Name != "missing" || topics[0].Err == nil || topics[1].Err != nil {
		t.Fatalf("topics: %+v", topics)
	}
	p := c.NewProducer(admin.ProducerConfig{})
	var got admin.Record
	p.Produce(ctx, admin.Record{Topic: "t", Partition: 1, Value: []byte("v")}, func(r admin.Record, err error) {
		if err != nil {
			t.Fatal(err)
		}
		got = r
	})
	if got.Partition != 1 || got.Offset != 0 {
		t.Fatalf("written %+v", got)
	}
	cs := c.NewConsumer(admin.ConsumerConfig{Start: map[string]map[int32]int64{"t": {0: 0, 1: 0}}})
	ctx2, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	recs, err := cs.Poll(ctx2)
	if err != nil || len(recs) != 1 || string(recs[0].Value) != "v" {
		t.Fatalf("poll: %v %v", recs, err)
	}
}

func TestPollWaitsForNewRecords(t *testing.T) {
	c := NewCluster()
	if _, err := c.CreateTopic(context.Background(), admin.TopicSpec{Name: "t", Partitions: 1, ReplicationFactor: 1}); err != nil {
		t.Fatal(err)
	}
	cs := c.NewConsumer(admin.ConsumerConfig{Start: map[string]map[int32]int64{"t": {0: 0}}})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	done := make(chan []admin.Record)
	go func() {
		recs, _ := cs.Poll(ctx)
		done <- recs
	}()
	c.NewProducer(admin.ProducerConfig{}).Produce(ctx, admin.Record{Topic: "t", Partition: admin.AnyPartition, Value: []byte("x")},
		func(admin.Record, error) {})
	if recs := <-done; len(recs) != 1 {
		t.Fatalf("got %v", recs)
	}
}

func TestAlterConfigs(t *testing.T) {
	ctx := context.Background()
	c := NewCluster()
	_, _ = c.CreateTopic(ctx, admin.TopicSpec{Name: "t", Partitions: 1, ReplicationFactor: 1})
	res := admin.Resource{Type: admin.TopicResource, Name: "t"}
	if err := c.AlterConfigs(ctx, res, []admin.ConfigChange{{Name: "retention.ms", Value: "5"}}); err != nil {
		t.Fatal(err)
	}
	if err := c.AlterConfigs(ctx, res, []admin.ConfigChange{{Name: "nope", Value: "5"}}); !errors.Is(err, kerr.InvalidConfig) {
		t.Fatalf("unknown config: %v", err)
	}
	entries, _ := c.DescribeConfigs(ctx, res)
	for _, e := range entries {
		if e.Name == "retention.ms" && (*e.Value != "5" || e.Source != admin.SourceDynamicTopic) {
			t.Fatalf("entry %+v", e)
		}
	}
}
