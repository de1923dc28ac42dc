package compat

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/test/harness"
)

func TestKadmTopicLifecycle(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	adm := b.Admin()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	retention := "3600000"
	createTopic(t, adm, "life", 2, map[string]*string{"retention.ms": &retention})

	details, err := adm.ListTopics(ctx, "life")
	if err != nil || details["life"].Err != nil || len(details["life"].Partitions) != 2 {
		t.Fatalf("list topics: %v %+v", err, details["life"])
	}
	for _, p := range details["life"].Partitions {
		if p.Leader != 1 || len(p.Replicas) != 1 || len(p.ISR) != 1 {
			t.Fatalf("partition %+v: want leader 1 with itself as replica and ISR", p)
		}
	}
	if got := topicConfig(t, adm, "life", "retention.ms"); got != retention {
		t.Fatalf("retention.ms = %q, want %q", got, retention)
	}

	alter := []kadm.AlterConfig{{Op: kadm.SetConfig, Name: "cleanup.policy", Value: strPtr("compact")}}
	if rs, err := adm.AlterTopicConfigs(ctx, alter, "life"); err != nil || rs[0].Err != nil {
		t.Fatalf("alter configs: %v %v", err, rs)
	}
	harness.Eventually(t, 10*time.Second, "altered config visible", func() error {
		if got := topicConfig(t, adm, "life", "cleanup.policy"); got != "compact" {
			return errors.New("cleanup.policy is " + got)
		}
		return nil
	})

	if rs, err := adm.CreatePartitions(ctx, 2, "life"); err != nil || rs["life"].Err != nil {
		t.Fatalf("create partitions: %v %+v", err, rs)
	}
	if details, _ := adm.ListTopics(ctx, "life"); len(details["life"].Partitions) != 4 {
		t.Fatalf("after adding 2: %d partitions, want 4", len(details["life"].Partitions))
	}

	if rs, err := adm.DeleteTopics(ctx, "life"); err != nil || rs["life"].Err != nil {
		t.Fatalf("delete: %v %+v", err, rs)
	}
	if details, _ := adm.ListTopics(ctx); len(details) != 0 {
		t.Fatalf("topics after delete: %v", details.Names())
	}
	createTopic(t, adm, "life", 1, nil) // recreatable at once
}

func TestKadmErrorCodes(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Props: map[string]string{"auto.create.topics.enable": "false"}})
	adm := b.Admin()
	createTopic(t, adm, "exists", 1, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	bad := "bogus"
	tests := []struct {
		name string
		run  func() error
		want *kerr.Error
	}{
		{"already exists", func() error { return createErr(adm.CreateTopic(ctx, 1, 1, nil, "exists")) }, kerr.TopicAlreadyExists},
		{"replication factor above brokers", func() error { return createErr(adm.CreateTopic(ctx, 1, 3, nil, "rf3")) }, kerr.InvalidReplicationFactor},
		{"zero partitions", func() error { return createErr(adm.CreateTopic(ctx, 0, 1, nil, "zero")) }, kerr.InvalidPartitions},
		{"bad config value", func() error {
			return createErr(adm.CreateTopic(ctx, 1, 1, map[string]*string{"retention.ms": &bad}, "badcfg"))
		}, kerr.InvalidConfig},
		{"unknown config", func() error {
			return createErr(adm.CreateTopic(ctx, 1, 1, map[string]*string{"no.such.config": &bad}, "badcfg2"))
		}, kerr.InvalidConfig},
		{"illegal name", func() error { return createErr(adm.CreateTopic(ctx, 1, 1, nil, "bad/name")) }, kerr.InvalidTopicException},
		{"internal topic", func() error { return createErr(adm.CreateTopic(ctx, 1, 1, nil, "__consumer_offsets")) }, kerr.PolicyViolation},
		{"shrink partitions", func() error {
			rs, err := adm.UpdatePartitions(ctx, 1, "exists")
			if err != nil {
				return err
			}
			return rs["exists"].Err
		}, kerr.InvalidPartitions},
		{"delete missing", func() error {
			rs, err := adm.DeleteTopics(ctx, "missing")
			if err != nil {
				return err
			}
			return rs["missing"].Err
		}, kerr.UnknownTopicOrPartition},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.run(); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestKadmOffsetsAndDeleteRecords(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	adm := b.Admin()
	createTopic(t, adm, "offs", 1, nil)
	produceAll(t, b.Client(), "offs", 100)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ends, err := adm.ListEndOffsets(ctx, "offs")
	if err != nil {
		t.Fatal(err)
	}
	if o, _ := ends.Lookup("offs", 0); o.Offset != 100 {
		t.Fatalf("end offset = %d, want 100", o.Offset)
	}
	del := kadm.Offsets{}
	del.Add(kadm.Offset{Topic: "offs", Partition: 0, At: 40})
	rs, err := adm.DeleteRecords(ctx, del)
	if err != nil || rs.Error() != nil {
		t.Fatalf("delete records: %v %v", err, rs.Error())
	}
	starts, err := adm.ListStartOffsets(ctx, "offs")
	if err != nil {
		t.Fatal(err)
	}
	if o, _ := starts.Lookup("offs", 0); o.Offset != 40 {
		t.Fatalf("start offset after DeleteRecords = %d, want 40", o.Offset)
	}
	got := consumeN(t, b.Addr, "offs", 60)
	if got[0].Offset != 40 {
		t.Fatalf("first consumed offset = %d, want 40", got[0].Offset)
	}
}

func TestKadmDescribeCluster(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 7})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	meta, err := b.Admin().BrokerMetadata(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if meta.Controller != 7 || len(meta.Brokers) != 1 || meta.Brokers[0].NodeID != 7 || meta.Cluster == "" {
		t.Fatalf("metadata = %+v", meta)
	}
}

func topicConfig(t *testing.T, adm *kadm.Client, topic, key string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rcs, err := adm.DescribeTopicConfigs(ctx, topic)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := rcs.On(topic, nil)
	if err != nil || rc.Err != nil {
		t.Fatalf("describe %s: %v %v", topic, err, rc.Err)
	}
	for _, c := range rc.Configs {
		if c.Key == key {
			return c.MaybeValue()
		}
	}
	t.Fatalf("config %s not described", key)
	return ""
}

func createErr(r kadm.CreateTopicResponse, err error) error {
	if err != nil {
		return err
	}
	return r.Err
}

func strPtr(s string) *string { return &s }
