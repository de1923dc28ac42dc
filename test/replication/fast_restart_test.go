package replication

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/checker"
	"github.com/kqhq/kq/test/harness"
)

type lockedBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuf) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// newIdempotentChaosProducer is newChaosProducer with idempotent writes:
// its report must show no duplicate at all.
func newIdempotentChaosProducer(c *cluster, topic string, partitions int32, opts ...kgo.Opt) *chaosProducer {
	cl := c.client(append([]kgo.Opt{
		kgo.RequiredAcks(kgo.AllISRAcks()),
		kgo.ProducerBatchCompression(kgo.NoCompression()),
		kgo.RecordPartitioner(kgo.ManualPartitioner()),
		kgo.ProduceRequestTimeout(3 * time.Second),
		kgo.RequestTimeoutOverhead(time.Second),
		kgo.RetryBackoffFn(func(int) time.Duration { return 50 * time.Millisecond }),
		kgo.MetadataMinAge(50 * time.Millisecond),
	}, opts...)...)
	return &chaosProducer{cl: cl, topic: topic, partitions: partitions, c: c, rec: checker.NewRecorder(true)}
}

// TestFastRestartAfterKill: a leader killed with SIGKILL and started again
// at once, as systemd's Restart=always or a container runtime does, finds
// its /brokers/ids/<id> still held by its dead ZooKeeper session. Kafka
// exits ("another broker is running"); kq waits for that session to expire
// and registers, within the session timeout + 5 s of the kill, and no
// acknowledged write is lost or, the producer being idempotent, duplicated.
func TestFastRestartAfterKill(t *testing.T) {
	const topic, partitions = "restart", int32(3)
	c := startCluster(t, 3, nil)
	c.createTopic(topic, partitions, minInsync2())
	var kgoLog lockedBuf
	prod := newIdempotentChaosProducer(c, topic, partitions, kgo.WithLogger(kgo.BasicLogger(&kgoLog, kgo.LogLevelDebug, nil)))
	defer func() {
		if t.Failed() {
			t.Logf("producer log:\n%s", kgoLog.String())
		}
	}()
	stop := prod.start(t)

	victim := c.zk.Leader(topic, 0)
	before := c.registrationOwner(victim)
	statesBefore := c.zk.States(topic)
	f := fault{what: fmt.Sprintf("SIGKILL leader %d, restart at once", victim), partition: 0, start: time.Now()}
	c.brokers[victim].Kill()
	c.brokers[victim].Start()
	if c.brokers[victim].Exited() {
		t.Fatalf("the restarted broker exited:\n%s", c.brokers[victim].Logs())
	}
	deadline := f.start.Add(sessionTimeout + 5*time.Second)
	for owner := c.registrationOwner(victim); owner == before || owner == 0; owner = c.registrationOwner(victim) {
		if time.Now().After(deadline) {
			t.Fatalf("broker %d not registered by a new session within %v of the kill (owner 0x%x)\n%s",
				victim, sessionTimeout+5*time.Second, owner, c.brokers[victim].Logs())
		}
		if c.brokers[victim].Exited() {
			t.Fatalf("the restarted broker exited:\n%s", c.brokers[victim].Logs())
		}
		time.Sleep(50 * time.Millisecond) // polling the znode, bounded by deadline
	}
	t.Logf("broker %d registered again %v after the kill", victim, time.Since(f.start).Round(time.Millisecond))
	// Every partition changes state once the restart is handled (the
	// victim left its ISRs, or the controller saw it restart unseen); the
	// old full ISRs still in the store until then prove nothing.
	harness.Eventually(t, 30*time.Second, "every partition past the restart with a full ISR", func() error {
		for p, s := range c.zk.States(topic) {
			if s.LeaderEpoch <= statesBefore[p].LeaderEpoch || len(s.ISR) != 3 {
				return fmt.Errorf("partition %d: %+v (before the kill: %+v)", p, s, statesBefore[p])
			}
		}
		return nil
	})
	if err := prod.waitAcked(20, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	f.end = time.Now()
	verdict(t, c, prod, stop, topic, partitions, f)
}

// registrationOwner is the session holding /brokers/ids/<id>, 0 when none.
func (c *cluster) registrationOwner(id int32) int64 {
	c.t.Helper()
	stat, ok, err := c.zk.Store().Exists(context.Background(), fmt.Sprintf("/brokers/ids/%d", id))
	if err != nil {
		c.t.Fatalf("read the registration of broker %d: %v", id, err)
	}
	if !ok {
		return 0
	}
	return stat.EphemeralOwner
}
