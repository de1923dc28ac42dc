package compat

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/harness"
)

// kq's own flush.mode=group-commit through a real broker: franz-go
// produces with each acks (acked only after an fsync), and every record
// reads back, on one broker and on three replicas.
func TestGroupCommitProduceConsume(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Props: map[string]string{"log.flush.mode": "group-commit"}})
	adm := b.Admin()
	for _, tt := range []struct {
		name string
		acks kgo.Acks
	}{
		{"group-commit-acks-all", kgo.AllISRAcks()},
		{"group-commit-acks-leader", kgo.LeaderAck()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			createTopic(t, adm, tt.name, 3, nil)
			opts := []kgo.Opt{kgo.RequiredAcks(tt.acks)}
			if tt.acks != kgo.AllISRAcks() {
				opts = append(opts, kgo.DisableIdempotentWrite())
			}
			want := produceAll(t, b.Client(opts...), tt.name, 2000)
			checkSameRecords(t, want, consumeN(t, b.Addr, tt.name, 2000))
		})
	}
	t.Run("described", func(t *testing.T) {
		wantTopicConfig(t, adm, "group-commit-acks-all", "flush.mode", "group-commit")
	})
}

// flush.mode is a topic config like Kafka's: set at creation, altered
// dynamically, described with its value.
func TestGroupCommitTopicOverride(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	adm := b.Admin()
	mode := "group-commit"
	createTopic(t, adm, "gc", 2, map[string]*string{"flush.mode": &mode})
	wantTopicConfig(t, adm, "gc", "flush.mode", "group-commit")
	want := produceAll(t, b.Client(), "gc", 500)
	checkSameRecords(t, want, consumeN(t, b.Addr, "gc", 500))

	createTopic(t, adm, "pc", 1, nil)
	wantTopicConfig(t, adm, "pc", "flush.mode", "pagecache")
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	resps, err := adm.AlterTopicConfigs(ctx, []kadm.AlterConfig{{Op: kadm.SetConfig, Name: "flush.mode", Value: &mode}}, "pc")
	if err != nil || resps[0].Err != nil {
		t.Fatalf("alter flush.mode: %v %v", err, resps)
	}
	wantTopicConfig(t, adm, "pc", "flush.mode", "group-commit")
	want = produceAll(t, b.Client(), "pc", 500)
	checkSameRecords(t, want, consumeN(t, b.Addr, "pc", 500))
}

func TestGroupCommitThreeReplicas(t *testing.T) {
	b, addrs := harness.StartLocalCluster(t, 3, map[string]string{"log.flush.mode": "group-commit"})
	adm := b.Admin()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, err := adm.CreateTopic(ctx, 3, 3, map[string]*string{"min.insync.replicas": ptr("2")}, "gc3")
	if err != nil || resp.Err != nil {
		t.Fatalf("create topic: %v %v", err, resp.Err)
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(addrs...), kgo.RequiredAcks(kgo.AllISRAcks()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	want := produceAll(t, cl, "gc3", 2000)
	checkSameRecords(t, want, consumeN(t, addrs[1], "gc3", 2000))
}

func ptr(s string) *string { return &s }

// wantTopicConfig waits for a topic config to be described with a value
// (an alteration reaches the broker through the config-change watcher).
func wantTopicConfig(t *testing.T, adm *kadm.Client, topic, key, value string) {
	t.Helper()
	harness.Eventually(t, 15*time.Second, topic+" "+key+"="+value, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		rcs, err := adm.DescribeTopicConfigs(ctx, topic)
		if err != nil {
			return err
		}
		rc, err := rcs.On(topic, nil)
		if err != nil {
			return err
		}
		for _, c := range rc.Configs {
			if c.Key == key {
				if c.MaybeValue() != value {
					return fmt.Errorf("%s=%s", key, c.MaybeValue())
				}
				return nil
			}
		}
		return fmt.Errorf("%s not described", key)
	})
}
