package cluster

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/harness"
)

// A broker whose only log dir fails (here: removed under it, so its next
// segment roll fails) stops, as Kafka's LogManager halts it, instead of
// staying registered as the leader of partitions it cannot serve; the
// controller then elects the other replica and writes go on.
func TestBrokerStopsWhenEveryLogDirFails(t *testing.T) {
	brokers, _ := startZKClusterConnect(t, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	adm := adminFor(t, seeds(brokers)...)
	seg := "1024"
	if _, err := adm.CreateTopic(ctx, 1, 2, map[string]*string{"segment.bytes": &seg}, "disk"); err != nil {
		t.Fatal(err)
	}
	leader := waitLeader(t, adm, "disk", func(id int32) bool { return id > 0 })
	victim, survivor := brokers[leader-1], brokers[2-leader]
	// The running broker may create a file (a checkpoint's .tmp) while the
	// directory is being removed: remove again until it is gone.
	harness.Eventually(t, 10*time.Second, "the leader's log dir removed", func() error {
		return os.RemoveAll(filepath.Join(victim.DataDir, "logs"))
	})
	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds(brokers)...), kgo.RequiredAcks(kgo.AllISRAcks()),
		kgo.DisableIdempotentWrite(), kgo.RecordRetries(100))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	value := []byte(strings.Repeat("x", 600))
	harness.Eventually(t, 60*time.Second, "the broker without log dirs gone", func() error {
		_ = cl.ProduceSync(ctx, &kgo.Record{Topic: "disk", Value: value}).FirstErr()
		if !victim.Exited() {
			return fmt.Errorf("broker %d still running", leader)
		}
		return nil
	})
	if !strings.Contains(victim.Logs(), "every log dir has failed") {
		t.Errorf("broker %d log does not say why it stopped:\n%s", leader, victim.Logs())
	}
	waitLeader(t, adminFor(t, survivor.Addr), "disk", func(id int32) bool { return id == survivor.Opts.BrokerID })
	if err := cl.ProduceSync(ctx, &kgo.Record{Topic: "disk", Value: []byte("after")}).FirstErr(); err != nil {
		t.Fatalf("produce after failover: %v", err)
	}
}

// waitLeader waits until the topic's partition 0 has a leader ok accepts,
// and returns it.
func waitLeader(t *testing.T, adm *kadm.Client, topic string, ok func(int32) bool) int32 {
	t.Helper()
	var leader int32
	harness.Eventually(t, 30*time.Second, "a leader for "+topic+"-0", func() error {
		md, err := adm.Metadata(context.Background(), topic)
		if err != nil {
			return err
		}
		p, found := md.Topics[topic].Partitions[0]
		if !found || !ok(p.Leader) {
			return fmt.Errorf("partition 0: %+v", p)
		}
		leader = p.Leader
		return nil
	})
	return leader
}
