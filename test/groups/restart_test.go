package groups

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/harness"
)

// consumeAndCommit reads up to n records as a member of the group and
// commits them, then leaves.
func consumeAndCommit(t *testing.T, addr, groupID, topic string, n int) []*kgo.Record {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.ConsumerGroup(groupID), kgo.ConsumeTopics(topic),
		kgo.DisableAutoCommit(), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchMaxPartitionBytes(1))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var got []*kgo.Record
	for len(got) < n {
		fs := cl.PollRecords(ctx, n-len(got))
		if err := ctx.Err(); err != nil {
			t.Fatalf("consumed %d of %d: %v", len(got), n, err)
		}
		got = append(got, fs.Records()...)
	}
	if err := cl.CommitRecords(ctx, got...); err != nil {
		t.Fatalf("commit: %v", err)
	}
	return got
}

// TestCommittedOffsetsSurviveRestart: offsets committed before a broker
// restart are read back from __consumer_offsets after it, and the group
// resumes where it stopped.
func TestCommittedOffsetsSurviveRestart(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Props: groupProps})
	cl := b.Client()
	createTopic(t, kadm.NewClient(cl), "orders", 1)
	produce(t, cl, "orders", 100)
	cl.Close()
	first := consumeAndCommit(t, b.Addr, "g", "orders", 40)
	if first[len(first)-1].Offset != 39 {
		t.Fatalf("last consumed offset %d", first[len(first)-1].Offset)
	}

	if err := b.Stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	b.Start()

	adm := b.Admin()
	defer adm.Close()
	var committed int64 = -1
	harness.Eventually(t, 30*time.Second, "offsets readable after the restart", func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		offs, err := adm.FetchOffsets(ctx, "g")
		if err != nil {
			return err
		}
		o, ok := offs.Lookup("orders", 0)
		if !ok {
			return errNoOffset
		}
		committed = o.At
		return nil
	})
	if committed != 40 {
		t.Fatalf("committed offset after restart %d, want 40", committed)
	}
	rest := consumeAndCommit(t, b.Addr, "g", "orders", 60)
	if rest[0].Offset != 40 || !strings.HasPrefix(string(rest[0].Value), "v") {
		t.Fatalf("resumed at offset %d, want 40", rest[0].Offset)
	}
}

var errNoOffset = errorString("no committed offset yet")

type errorString string

func (e errorString) Error() string { return string(e) }
