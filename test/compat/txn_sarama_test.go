package compat

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/IBM/sarama"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/harness"
)

func saramaTxnConfig(id string) *sarama.Config {
	cfg := saramaConfig(sarama.V3_9_0_0)
	cfg.Producer.Idempotent = true
	cfg.Producer.Transaction.ID = id
	cfg.Producer.Partitioner = sarama.NewManualPartitioner
	cfg.Net.MaxOpenRequests = 1
	cfg.Consumer.IsolationLevel = sarama.ReadCommitted
	return cfg
}

// TestTxnSarama: sarama's transactional producer commits, aborts and
// commits across three partitions, adding a consumer group's offsets to
// each transaction (AddOffsetsToTxn, then AddMessageToTxn with a message
// its read_committed consumer read); the group's offset moves with the
// commits only, and sarama's read_committed consumer reads exactly the
// committed records at their offsets.
func TestTxnSarama(t *testing.T) {
	const n, topic, input, group = 10, "sarama-txn", "sarama-txn-in", "sarama-txn-group"
	b := startTxnBroker(t)
	adm := b.Admin()
	parts := createTopics(t, adm, map[string]int32{topic: 3})
	createTopic(t, adm, input, 1, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := b.Client(kgo.DefaultProduceTopic(input)).ProduceSync(ctx, labelled([]tp{{input, 0}}, "in", 40)...).FirstErr(); err != nil {
		t.Fatal(err)
	}
	cfg := saramaTxnConfig("sarama-txn")
	p, err := sarama.NewSyncProducer([]string{b.Addr}, cfg)
	if err != nil {
		t.Fatalf("sarama transactional producer: %v", err)
	}
	defer p.Close()

	steps := []struct {
		label  string
		commit bool
		offset int64 // of the input partition, added to the transaction
		want   int64 // the group's committed offset afterwards
	}{
		{"c1", true, 10, 10},
		{"a1", false, 20, 10},
		{"c2", true, 30, 30},
	}
	for _, s := range steps {
		if err := p.BeginTxn(); err != nil {
			t.Fatalf("%s: BeginTxn: %v", s.label, err)
		}
		var msgs []*sarama.ProducerMessage
		for _, r := range labelled(parts, s.label, n) {
			msgs = append(msgs, &sarama.ProducerMessage{Topic: r.Topic, Partition: r.Partition, Value: sarama.ByteEncoder(r.Value)})
		}
		if err := p.SendMessages(msgs); err != nil {
			t.Fatalf("%s: SendMessages: %v", s.label, err)
		}
		if s.label == "c2" {
			// the message before the offset to commit, read under read_committed
			m := saramaConsume(t, b.Addr, cfg, input, 0, s.offset-1, 1)[0]
			if err := p.AddMessageToTxn(m, group, nil); err != nil {
				t.Fatalf("%s: AddMessageToTxn: %v", s.label, err)
			}
		} else {
			offsets := map[string][]*sarama.PartitionOffsetMetadata{input: {{Partition: 0, Offset: s.offset}}}
			if err := p.AddOffsetsToTxn(offsets, group); err != nil {
				t.Fatalf("%s: AddOffsetsToTxn: %v", s.label, err)
			}
		}
		end, endName := p.CommitTxn, "CommitTxn"
		if !s.commit {
			end, endName = p.AbortTxn, "AbortTxn"
		}
		if err := end(); err != nil {
			t.Fatalf("%s: %s: %v", s.label, endName, err)
		}
		waitStable(t, adm, topic)
		harness.Eventually(t, 15*time.Second, fmt.Sprintf("group %s at %d after %s", group, s.want, s.label), func() error {
			if got := committed(t, adm, group, input, 0); got != s.want {
				return fmt.Errorf("committed %d", got)
			}
			return nil
		})
	}

	writeSentinels(t, b.Addr, parts)
	for _, part := range parts {
		got := saramaConsume(t, b.Addr, cfg, topic, part.partition, sarama.OffsetOldest, 2*n+1)
		for i, m := range got {
			want, at := fmt.Sprintf("c1-%s-%d", part, i), int64(i)
			switch {
			case i == 2*n:
				want, at = sentinel, 3*n+3
			case i >= n:
				want, at = fmt.Sprintf("c2-%s-%d", part, i-n), int64(n+2+i)
			}
			if string(m.Value) != want || m.Offset != at {
				t.Errorf("%s read_committed message %d: %q at %d, want %q at %d", part, i, m.Value, m.Offset, want, at)
			}
		}
	}
}
