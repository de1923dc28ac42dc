package replication

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/harness"
)

func minInsync2() map[string]*string {
	two := "2"
	return map[string]*string{"min.insync.replicas": &two}
}

// Followers copy the leader: the high watermark reaches the log end with
// the ISR whole, and each replica's log on disk is byte for byte the
// leader's, with the high watermark checkpointed on followers too. They
// fetch with several fetchers per leader (num.replica.fetchers=3; every
// other test runs the default 1).
func TestFollowersReplicateAndAgree(t *testing.T) {
	const partitions, n = 4, 300
	c := startCluster(t, 3, map[string]string{"num.replica.fetchers": "3"})
	c.createTopic("r", partitions, minInsync2())
	cl := c.producer()
	for p := range int32(partitions) {
		produceN(t, cl, "r", p, "v", n)
		if hw := c.highWatermark("r", p); hw != n {
			t.Fatalf("r-%d high watermark %d, want %d", p, hw, n)
		}
	}
	for p := range int32(partitions) {
		if isr := c.isrOf("r", p); !slices.Equal(isr, []int32{1, 2, 3}) {
			t.Fatalf("r-%d ISR %v after producing, want [1 2 3]", p, isr)
		}
	}
	harness.StopAll(c.t, c.brokers)
	for p := range int32(partitions) {
		for _, r := range checkReplicasAgree(t, c, "r", p) {
			if r.le != n || r.hw != n {
				t.Errorf("r-%d on broker %d: log end %d, checkpointed high watermark %d, want %d and %d", p, r.broker, r.le, r.hw, n, n)
			}
		}
	}
}

// A leader crash: a follower from the ISR takes over within the session
// timeout plus a second, nothing acknowledged is lost, and the crashed
// broker, restarted, catches up and rejoins the ISR.
func TestLeaderCrashLosesNothingAndRejoins(t *testing.T) {
	c := startCluster(t, 3, nil)
	c.createTopic("f", 1, minInsync2())
	cl := c.producer()
	acked := produceN(t, cl, "f", 0, "before", 300)
	old := c.zk.Leader("f", 0)
	killed := time.Now()
	c.brokers[old].Kill()
	window := produceUntilAcked(t, cl, "f", 0, "after-kill", killed)
	acked = append(acked, "after-kill")
	t.Logf("leader %d killed: acks=all produce unavailable for %v (session timeout %v)", old, window, sessionTimeout)
	if window > sessionTimeout+time.Second {
		t.Errorf("unavailable for %v, want under %v", window, sessionTimeout+time.Second)
	}
	if isr := c.isrOf("f", 0); slices.Contains(isr, old) || len(isr) != 2 {
		t.Fatalf("ISR %v after broker %d died, want the two others", isr, old)
	}
	acked = append(acked, produceN(t, cl, "f", 0, "degraded", 100)...)
	c.brokers[old].Start()
	c.zk.WaitFullIsr("f", 1, 30*time.Second)
	acked = append(acked, produceN(t, cl, "f", 0, "healed", 100)...)
	if got := c.consumeAll("f", 0); !slices.Equal(got, acked) {
		t.Fatalf("read %d records, want the %d acknowledged in order", len(got), len(acked))
	}
	harness.StopAll(c.t, c.brokers)
	checkReplicasAgree(t, c, "f", 0)
}

// produceUntilAcked retries one acks=all record until it is acknowledged
// and returns how long after since that was.
func produceUntilAcked(t *testing.T, cl *kgo.Client, topic string, p int32, value string, since time.Time) time.Duration {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	err := cl.ProduceSync(ctx, &kgo.Record{Topic: topic, Partition: p, Value: []byte(value)}).FirstErr()
	if err != nil {
		t.Fatalf("produce after the crash: %v", err)
	}
	return time.Since(since)
}
