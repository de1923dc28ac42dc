package replication

import (
	"bufio"
	"context"
	"fmt"
	"maps"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kqhq/kq/store/meta/zktest"
	"github.com/kqhq/kq/test/harness"
)

// TestZooKeeperEnsemble: three brokers on a three-node ZooKeeper ensemble
// (zookeeper.connect names all three) take acks=all idempotent writes,
// min.insync.replicas=2, through four ZooKeeper faults: a follower killed
// and restarted, the leader killed and restarted, then a follower killed
// and, with it still down, the leader (the quorum is lost) until both are
// restarted. While a majority runs, the brokers' sessions move to the
// surviving nodes; without one, the brokers keep acknowledging writes, as
// TestZooKeeperOutage shows for a single ZooKeeper. After each fault the
// same sessions still own the registrations, the controller acts (a topic
// created then gets leaders and a full ISR) and every broker names the one
// /controller names; at no moment do two brokers report themselves the
// active controller; no acknowledged write is lost or written twice, and
// the replicas agree byte for byte.
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

	z := &zkFaults{c: c, ens: ens, prod: prod, partitions: partitions}
	z.run("follower killed, restarted", func() { z.kill(z.follower()); z.whileDown("follower killed") }, nil)
	z.run("leader killed, restarted", func() { z.kill(z.leader()); z.whileDown("leader killed") }, nil)
	z.run(fmt.Sprintf("follower, then leader killed (no quorum for %v)", ensembleOutage()), func() {
		z.kill(z.follower())
		z.kill(z.leader())
		if err := prod.waitAcked(20, 20*time.Second); err != nil {
			t.Fatalf("without a ZooKeeper quorum: %v", err)
		}
	}, func(start time.Time) { time.Sleep(time.Until(start.Add(ensembleOutage()))) }) // the fault itself: this long
	most, rounds := watch.stop()
	if most > 1 {
		t.Errorf("%d brokers reported themselves the active controller at once", most)
	}
	if rounds == 0 {
		t.Error("no scrape round found an active controller: the controller watch read nothing")
	}
	t.Logf("controller watch: %d rounds with exactly one active controller, at most %d at once", rounds, most)
	verdict(t, c, prod, stop, topic, partitions, z.faults...)
}

// ensembleOutage is how long the last fault keeps the ensemble without a
// quorum: past the session timeout with KQ_FAULTS_FULL=1 (make faults),
// two seconds otherwise (make test).
func ensembleOutage() time.Duration {
	if os.Getenv("KQ_FAULTS_FULL") == "1" {
		return sessionTimeout + 4*time.Second
	}
	return 2 * time.Second
}

// zkFaults runs ZooKeeper faults under a cluster and records them.
type zkFaults struct {
	c          *cluster
	ens        *zktest.Ensemble
	prod       *chaosProducer
	partitions int32
	killed     []int // members down, to restart
	faults     []fault
	// start and sessions are the running fault's start and the client
	// sessions connected before it.
	start    time.Time
	sessions int
	created  int // topics created to see the controller act
}

// run injects a fault (inject kills members and may check the cluster
// meanwhile; hold, when set, keeps them down), restarts the killed members
// and checks that the cluster carried on: writes acknowledged, the same
// sessions registered, the controller acting and named by every broker.
// It logs how long the ensemble served no requests, how long until every
// session was connected again and until the controller acted.
func (z *zkFaults) run(what string, inject func(), hold func(start time.Time)) {
	c := z.c
	c.t.Helper()
	owners := map[int32]int64{}
	for id := range c.brokers {
		owners[id] = c.registrationOwner(id)
	}
	z.sessions, z.start = totalSessions(z.ens), time.Now()
	start, sessions := z.start, z.sessions
	inject()
	if hold != nil {
		hold(start)
	}
	for _, m := range z.killed {
		if err := z.ens.Servers[m].Restart(); err != nil {
			c.t.Fatalf("%s: restart ZooKeeper member %d: %v", what, m+1, err)
		}
	}
	z.killed = nil
	if _, err := z.ens.WaitQuorum(30 * time.Second); err != nil {
		c.t.Fatalf("%s: %v", what, err)
	}
	quorum := time.Since(start)
	z.waitSessions(sessions)
	moved := time.Since(start)
	z.controllerActs()
	acting := time.Since(start)
	if err := z.prod.waitAcked(20, 30*time.Second); err != nil {
		c.t.Fatalf("%s: %v", what, err)
	}
	end := time.Now()
	c.checkSessionsKept(owners)
	c.checkOneController()
	c.t.Logf("ZooKeeper %s: all members serving again after %v, every session connected after %v, the controller acted after %v",
		what, quorum.Round(time.Millisecond), moved.Round(time.Millisecond), acting.Round(time.Millisecond))
	for p := range z.partitions {
		z.faults = append(z.faults, fault{what: "ZooKeeper " + what, partition: p, start: start, end: end})
	}
}

// whileDown checks, with the killed members still down and a quorum left,
// that every session moved to the surviving members and the controller
// acts, and logs after how long.
func (z *zkFaults) whileDown(what string) {
	z.c.t.Helper()
	z.leader()
	quorum := time.Since(z.start)
	z.waitSessions(z.sessions)
	moved := time.Since(z.start)
	z.controllerActs()
	z.c.t.Logf("ZooKeeper %s: a quorum served after %v, every session was on a surviving member after %v, the controller acted after %v",
		what, quorum.Round(time.Millisecond), moved.Round(time.Millisecond), time.Since(z.start).Round(time.Millisecond))
}

// waitSessions waits until n client sessions are connected to the
// running members.
func (z *zkFaults) waitSessions(n int) {
	harness.Eventually(z.c.t, 30*time.Second, "every session connected", func() error {
		if got := totalSessions(z.ens); got != n {
			return fmt.Errorf("%d of %d sessions connected", got, n)
		}
		return nil
	})
}

// controllerActs creates a topic, which needs the controller to elect its
// leader and send it to the brokers.
func (z *zkFaults) controllerActs() {
	z.created++
	z.c.createTopic(fmt.Sprintf("after-zk-fault-%d", z.created), 1, nil)
}

// kill stops a member until run restarts it.
func (z *zkFaults) kill(member int) {
	z.ens.Servers[member].Stop()
	z.killed = append(z.killed, member)
}

// leader returns the leading member once a quorum serves.
func (z *zkFaults) leader() int {
	z.c.t.Helper()
	leader, err := z.ens.WaitQuorum(30 * time.Second)
	if err != nil {
		z.c.t.Fatal(err)
	}
	return leader
}

// follower returns the running follower with the most client sessions,
// once a quorum serves.
func (z *zkFaults) follower() int {
	leader := z.leader()
	victim := -1
	for i, s := range z.ens.Servers {
		if i != leader && s.Mode() == "follower" && (victim < 0 || s.Sessions() > z.ens.Servers[victim].Sessions()) {
			victim = i
		}
	}
	if victim < 0 {
		z.c.t.Fatalf("no running follower besides leader member %d", leader+1)
	}
	return victim
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
	c.zk = harness.ConnectZK(t, c.connect)
	c.waitBrokers(n)
	harness.WaitBrokersKnown(t, c.brokers, n)
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
