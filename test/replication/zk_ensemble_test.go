package replication

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kqhq/kq/daemon/kafkazk"
	"github.com/kqhq/kq/store/meta/zkstore"
	"github.com/kqhq/kq/store/meta/zktest"
	"github.com/kqhq/kq/test/harness"
)

// TestZooKeeperEnsemble: three brokers on a three-node ZooKeeper ensemble
// (zookeeper.connect names all three) take acks=all idempotent writes,
// min.insync.replicas=2, while one ZooKeeper follower is killed and
// restarted, then the ZooKeeper leader. A majority stays up each time, so
// the brokers' sessions move to the surviving nodes and outlive the fault
// (the same session still owns each registration), the controller keeps
// acting (a topic created after each fault gets leaders and a full ISR),
// at no moment do two brokers report themselves the active controller, no
// acknowledged write is lost or written twice, and the replicas agree byte
// for byte.
func TestZooKeeperEnsemble(t *testing.T) {
	const topic, partitions = "zk-ensemble", int32(3)
	ens := zktest.StartEnsemble(t, 3)
	if _, err := ens.WaitQuorum(zktest.StartTimeout); err != nil {
		t.Fatal(err)
	}
	c, scrape := startClusterOnEnsemble(t, 3, ens)
	watch := watchControllers(t, scrape)
	c.createTopic(topic, partitions, minInsync2())
	prod := newIdempotentChaosProducer(c, topic, partitions)
	stop := prod.start(t)

	var faults []fault
	faults = append(faults, killZooKeeperMember(c, ens, prod, false, partitions)...)
	faults = append(faults, killZooKeeperMember(c, ens, prod, true, partitions)...)
	most, rounds := watch.stop()
	if most > 1 {
		t.Errorf("%d brokers reported themselves the active controller at once", most)
	}
	if rounds == 0 {
		t.Error("no scrape round found an active controller: the controller watch read nothing")
	}
	t.Logf("controller watch: %d rounds with exactly one active controller, at most %d at once", rounds, most)
	verdict(t, c, prod, stop, topic, partitions, faults...)
}

// killZooKeeperMember kills the ensemble's leader (or the follower most
// sessions are connected to), checks that the cluster carries on without
// it and restarts it. It returns the fault once per partition, for
// report's unavailability per partition.
func killZooKeeperMember(c *cluster, ens *zktest.Ensemble, prod *chaosProducer, leader bool, partitions int32) []fault {
	c.t.Helper()
	victim, role := pickZooKeeperVictim(c.t, ens, leader)
	owners := map[int32]int64{}
	for id := range c.brokers {
		owners[id] = c.registrationOwner(id)
	}
	sessions := totalSessions(ens)
	what := fmt.Sprintf("ZooKeeper %s (member %d, %d sessions) killed", role, victim+1, ens.Servers[victim].Sessions())
	start := time.Now()
	ens.Servers[victim].Stop()
	if _, err := ens.WaitQuorum(30 * time.Second); err != nil {
		c.t.Fatalf("%s: %v", what, err)
	}
	quorum := time.Since(start)
	harness.Eventually(c.t, sessionTimeout, "every session on a surviving member", func() error {
		if n := totalSessions(ens); n != sessions {
			return fmt.Errorf("%d of %d sessions connected", n, sessions)
		}
		return nil
	})
	moved := time.Since(start)
	c.createTopic("after-zk-"+role, 1, nil) // the controller acts
	acting := time.Since(start)
	if err := prod.waitAcked(20, 30*time.Second); err != nil {
		c.t.Fatalf("%s: %v", what, err)
	}
	end := time.Now()
	c.checkSessionsKept(owners)
	c.checkOneController()
	c.t.Logf("%s: quorum serving after %v, its sessions moved after %v, the controller acted after %v",
		what, quorum.Round(time.Millisecond), moved.Round(time.Millisecond), acting.Round(time.Millisecond))
	if err := ens.Servers[victim].Restart(); err != nil {
		c.t.Fatalf("restart ZooKeeper member %d: %v", victim+1, err)
	}
	if _, err := ens.WaitQuorum(30 * time.Second); err != nil {
		c.t.Fatal(err)
	}
	out := make([]fault, 0, partitions)
	for p := range partitions {
		out = append(out, fault{what: what, partition: p, start: start, end: end})
	}
	return out
}

// pickZooKeeperVictim returns the index of the ensemble's leader, or of
// the follower with the most client sessions, and its role.
func pickZooKeeperVictim(t *testing.T, ens *zktest.Ensemble, leader bool) (int, string) {
	t.Helper()
	zkLeader, err := ens.WaitQuorum(30 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if leader {
		return zkLeader, "leader"
	}
	victim := -1
	for i, s := range ens.Servers {
		if i != zkLeader && (victim < 0 || s.Sessions() > ens.Servers[victim].Sessions()) {
			victim = i
		}
	}
	return victim, "follower"
}

// totalSessions counts the client sessions connected to any member.
func totalSessions(ens *zktest.Ensemble) int {
	n := 0
	for _, s := range ens.Servers {
		n += s.Sessions()
	}
	return n
}

// checkSessionsKept checks that every broker is registered by the session
// that registered it before the fault: the session moved to another
// ZooKeeper node instead of expiring.
func (c *cluster) checkSessionsKept(owners map[int32]int64) {
	c.t.Helper()
	c.waitBrokers(len(owners))
	for id, before := range owners {
		if now := c.registrationOwner(id); now != before {
			c.t.Errorf("broker %d registered by session %#x, was %#x: its session did not survive", id, now, before)
		}
	}
}

// startClusterOnEnsemble starts n brokers whose zookeeper.connect names
// every member of ens, each serving its metrics, and returns the cluster
// and the brokers' metrics addresses.
func startClusterOnEnsemble(t *testing.T, n int, ens *zktest.Ensemble) (*cluster, []string) {
	t.Helper()
	c := &cluster{t: t, connect: ens.ConnectString("/kq"), brokers: map[int32]*harness.Broker{}}
	props := map[string]string{
		"zookeeper.session.timeout.ms": fmt.Sprint(sessionTimeout.Milliseconds()),
		"replica.fetch.backoff.ms":     "100",
	}
	var scrape []string
	for id := int32(1); id <= int32(n); id++ {
		opts := harness.Options{BrokerID: id, Zookeeper: c.connect, Props: maps.Clone(props)}
		addr := fmt.Sprintf("127.0.0.1:%d", harness.FreePort(t))
		opts.Props["kq.metrics.listener"] = addr
		scrape = append(scrape, addr)
		c.brokers[id] = harness.StartBroker(t, opts)
	}
	store, err := zkstore.Connect(context.Background(), c.connect, 10*time.Second, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	c.zk = kafkazk.New(store, slog.New(slog.DiscardHandler))
	c.waitBrokers(n)
	c.waitKnown(n)
	return c, scrape
}

// controllerWatch scrapes every broker's ActiveControllerCount in rounds
// and keeps the most brokers that reported 1 in one round, and how many
// rounds found exactly one (none would mean the probe reads nothing).
type controllerWatch struct {
	cancel context.CancelFunc
	done   chan struct{}
	mu     sync.Mutex
	most   int
	oneOK  int
}

func watchControllers(t *testing.T, addrs []string) *controllerWatch {
	ctx, cancel := context.WithCancel(context.Background())
	w := &controllerWatch{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			active := 0
			for _, a := range addrs {
				active += activeControllerCount(ctx, a)
			}
			w.mu.Lock()
			w.most = max(w.most, active)
			if active == 1 {
				w.oneOK++
			}
			w.mu.Unlock()
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	t.Cleanup(func() { _, _ = w.stop() })
	return w
}

// stop ends the watch and returns the most active controllers seen at
// once and the rounds that saw exactly one.
func (w *controllerWatch) stop() (most, rounds int) {
	w.cancel()
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.most, w.oneOK
}

// activeControllerCount is the kafka_controller_kafkacontroller_activecontrollercount
// a broker's metrics endpoint reports, 0 when it cannot be read.
func activeControllerCount(ctx context.Context, addr string) int {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/metrics", nil)
	if err != nil {
		return 0
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "kafka_controller_kafkacontroller_activecontrollercount "); ok && strings.TrimSpace(v) == "1" {
			return 1
		}
	}
	return 0
}
