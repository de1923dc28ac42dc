package replication

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/znode"
	"github.com/kqhq/kq/test/harness"
)

// The reassignment plan of TestReassignMovesEveryPartition: every
// partition drops one replica and gains broker 4, which held nothing;
// m-0 loses its leader.
var (
	reassignFrom = map[int32][]int32{0: {1, 2, 3}, 1: {2, 3, 1}, 2: {3, 1, 2}}
	reassignTo   = map[int32][]int32{0: {4, 2, 3}, 1: {3, 4, 1}, 2: {1, 4, 2}}
)

const reassignPlan = `{"version":1,"partitions":[` +
	`{"topic":"m","partition":0,"replicas":[4,2,3],"log_dirs":["any","any","any"]},` +
	`{"topic":"m","partition":1,"replicas":[3,4,1]},` +
	`{"topic":"m","partition":2,"replicas":[1,4,2]}]}`

// kq reassign moves every partition of a topic to a new replica set,
// including a broker that held nothing, while a producer keeps writing
// with acks=all: every acknowledged record stays readable in order, the
// removed replicas' logs are deleted, and the new replicas hold the
// leader's log byte for byte up to the high watermark.
func TestReassignMovesEveryPartition(t *testing.T) {
	const perPartition, valueSize = 2000, 1024
	c := startCluster(t, 4, nil)
	c.createAssigned("m", reassignFrom, minInsync2())
	cl := c.producer()
	for p := range int32(3) {
		produceSized(t, cl, "m", p, perPartition, valueSize)
	}
	bg := startBackgroundProducer(t, c.producer(), "m", 3)
	plan := writePlan(t, reassignPlan)
	bootstrap := c.brokers[1].Addr

	start := time.Now()
	res := harness.KQ(t, nil, "reassign", "--execute", "--reassignment-json-file", plan, "-b", bootstrap)
	if res.Code != 0 || !strings.Contains(res.Stdout, "Successfully started partition reassignments for m-0,m-1,m-2") ||
		!strings.Contains(res.Stdout, `{"topic":"m","partition":0,"replicas":[1,2,3],"log_dirs":["any","any","any"]}`) {
		t.Fatalf("execute: code %d\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
	waitReassigned(t, plan, bootstrap)
	took := time.Since(start)
	acked := bg.stop()
	mb := float64(3*perPartition*valueSize) / (1 << 20)
	t.Logf("reassigned 3 partitions holding %.1f MiB (plus %d records written meanwhile) in %v", mb, total(acked), took.Round(time.Millisecond))

	c.checkReassigned(acked)
	harness.StopAll(c.t, c.brokers)
	for p, target := range reassignTo {
		checkTargetReplicasAgree(t, c, "m", p, target)
		for _, id := range reassignFrom[p] {
			if !slices.Contains(target, id) {
				checkPartitionDirGone(t, c.brokers[id], fmt.Sprintf("m-%d", p))
			}
		}
	}
}

// A reassignment written to /admin/reassign_partitions, as old tools did,
// is carried out; while its new replica cannot catch up (its broker is
// frozen) it is listed by kq reassign --list and franz-go's kadm, and
// kq reassign --cancel takes the partition back to its replicas and drops
// the request from ZooKeeper.
func TestReassignInProgressListedAndCancelled(t *testing.T) {
	c := startCluster(t, 3, nil)
	c.keepControllerOff(3) // broker 3 will be frozen
	c.createAssigned("n", map[int32][]int32{0: {1, 2}}, nil)
	plan := writePlan(t, `{"version":1,"partitions":[{"topic":"n","partition":0,"replicas":[1,2,3]}]}`)
	bootstrap := c.brokers[1].Addr
	ctx := context.Background()

	c.brokers[3].Freeze()
	// While broker 3 is frozen only requests that reach the seed broker
	// and the controller are made: a client's first metadata request goes
	// to its seed, later ones to any broker.
	request := znode.EncodeReassignPartitions([]znode.PartitionReplicas{{Topic: "n", Partition: 0, Replicas: []int32{1, 2, 3}}})
	_, err := c.zk.Store().Create(ctx, znode.ReassignPartitionsPath, request, meta.Persistent)
	if err == nil {
		err = c.listedInProgress(bootstrap)
	}
	var cancel harness.Result
	if err == nil {
		cancel = harness.KQ(t, nil, "reassign", "--cancel", "--reassignment-json-file", plan, "-b", bootstrap)
	}
	c.brokers[3].Thaw()
	if err != nil {
		t.Fatal(err)
	}
	if cancel.Code != 0 || cancel.Stdout != "Successfully cancelled partition reassignment for: n-0\n" {
		t.Fatalf("cancel: code %d\n%s%s", cancel.Code, cancel.Stdout, cancel.Stderr)
	}
	harness.Eventually(t, 20*time.Second, "n-0 back on [1 2], the request gone", func() error {
		a, _, err := c.zk.Assignment(ctx, "n")
		if err != nil || !slices.Equal(a.Replicas[0], []int32{1, 2}) || len(a.Adding)+len(a.Removing) != 0 {
			return fmt.Errorf("assignment %+v (%v)", a, err)
		}
		if reqs, _, err := c.zk.ReassignRequests(ctx); err != nil || reqs != nil {
			return fmt.Errorf("/admin/reassign_partitions %v (%v)", reqs, err)
		}
		return nil
	})
	res := harness.KQ(t, nil, "reassign", "--list", "-b", bootstrap)
	if res.Code != 0 || res.Stdout != "No partition reassignments found.\n" {
		t.Fatalf("list after cancel: code %d\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
}

// listedInProgress checks that n-0's reassignment to [1 2 3] is listed by
// kadm's ListPartitionReassignments and kq reassign --list.
func (c *cluster) listedInProgress(bootstrap string) error {
	set := kadm.TopicsSet{}
	set.Add("n", 0)
	var last error
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); {
		last = kadmLists(c.clientFor(bootstrap), set)
		if last == nil {
			break
		}
		time.Sleep(50 * time.Millisecond) // poll interval, not a wait for an event
	}
	if last != nil {
		return last
	}
	res := harness.KQ(c.t, nil, "reassign", "--list", "-b", bootstrap)
	if res.Code != 0 || res.Stdout != "Current partition reassignments:\nn-0: replicas: 1,2,3. adding: 3.\n" {
		return fmt.Errorf("list: code %d\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
	return nil
}

func kadmLists(cl *kgo.Client, set kadm.TopicsSet) error {
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	listed, err := kadm.NewClient(cl).ListPartitionReassignments(ctx, set)
	if err != nil {
		return fmt.Errorf("kadm ListPartitionReassignments: %w", err)
	}
	got, ok := listed["n"][0]
	if !ok || !slices.Equal(got.Replicas, []int32{1, 2, 3}) || !slices.Equal(got.AddingReplicas, []int32{3}) || len(got.RemovingReplicas) != 0 {
		return fmt.Errorf("kadm lists %+v", listed)
	}
	return nil
}

func writePlan(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// keepControllerOff restarts a broker that is the controller, so that
// another one takes over.
func (c *cluster) keepControllerOff(id int32) {
	c.t.Helper()
	ctx := context.Background()
	if cur, _, err := c.zk.Controller(ctx); err != nil || cur != id {
		return
	}
	if err := c.brokers[id].Stop(); err != nil {
		c.t.Fatal(err)
	}
	harness.Eventually(c.t, 30*time.Second, fmt.Sprintf("a controller other than %d", id), func() error {
		if cur, _, err := c.zk.Controller(ctx); err != nil || cur == id || cur < 0 {
			return fmt.Errorf("controller %d (%v)", cur, err)
		}
		return nil
	})
	c.brokers[id].Start()
	c.waitBrokers(len(c.brokers))
}

// createAssigned creates a topic with an explicit replica assignment and
// waits until every partition has its replicas in the ISR.
func (c *cluster) createAssigned(name string, assignment map[int32][]int32, configs map[string]*string) {
	c.t.Helper()
	req := kmsg.NewPtrCreateTopicsRequest()
	rt := kmsg.NewCreateTopicsRequestTopic()
	rt.Topic, rt.NumPartitions, rt.ReplicationFactor = name, -1, -1
	for p := range int32(len(assignment)) {
		rt.ReplicaAssignment = append(rt.ReplicaAssignment, kmsg.CreateTopicsRequestTopicReplicaAssignment{Partition: p, Replicas: assignment[p]})
	}
	for k, v := range configs {
		rt.Configs = append(rt.Configs, kmsg.CreateTopicsRequestTopicConfig{Name: k, Value: v})
	}
	req.Topics, req.TimeoutMillis = []kmsg.CreateTopicsRequestTopic{rt}, 30000
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, err := req.RequestWith(ctx, c.client())
	if err != nil || resp.Topics[0].ErrorCode != 0 {
		c.t.Fatalf("create %s: %v %+v", name, err, resp)
	}
	harness.Eventually(c.t, 30*time.Second, "every replica of "+name+" in the ISR", func() error {
		states := c.zk.States(name)
		for p, replicas := range assignment {
			if s := states[p]; s.Leader < 0 || len(s.ISR) != len(replicas) {
				return fmt.Errorf("partition %d: %+v", p, s)
			}
		}
		return nil
	})
}

// produceSized writes n acks=all records of size bytes to a partition.
func produceSized(t *testing.T, cl *kgo.Client, topic string, p int32, n, size int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	recs := make([]*kgo.Record, n)
	for i := range recs {
		v := bytes.Repeat([]byte{'a' + byte(i%26)}, size)
		copy(v, fmt.Sprintf("%d-%d:", p, i))
		recs[i] = &kgo.Record{Topic: topic, Partition: p, Value: v}
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatalf("produce to %s-%d: %v", topic, p, err)
	}
}

// waitReassigned polls kq reassign --verify until every partition is
// done.
func waitReassigned(t *testing.T, plan, bootstrap string) {
	t.Helper()
	harness.Eventually(t, 40*time.Second, "reassignment completed", func() error {
		res := harness.KQ(t, nil, "reassign", "--verify", "--reassignment-json-file", plan, "-b", bootstrap)
		if res.Code != 0 || strings.Count(res.Stdout, "is completed.") != 3 {
			return fmt.Errorf("code %d: %s%s", res.Code, res.Stdout, res.Stderr)
		}
		return nil
	})
}

// checkReassigned checks the cluster after the reassignment: the state
// znodes name target replicas only, every acknowledged record is read back
// in the order acknowledged, and DescribeLogDirs shows the partitions on
// their new brokers only.
func (c *cluster) checkReassigned(acked map[int32][]string) {
	c.t.Helper()
	for p, target := range reassignTo {
		s := c.zk.States("m")[p]
		isr := slices.Sorted(slices.Values(s.ISR))
		if !slices.Contains(target, s.Leader) || !slices.Equal(isr, slices.Sorted(slices.Values(target))) {
			c.t.Errorf("m-%d state %+v, want a leader and ISR from %v", p, s, target)
		}
		got := c.consumeAll("m", p)
		if missing := missingInOrder(acked[p], got); missing != "" {
			c.t.Errorf("m-%d: acknowledged record %s not read back in order (%d acknowledged, %d read)", p, missing, len(acked[p]), len(got))
		}
	}
	cl, err := admin.NewClient(admin.ClientConfig{Brokers: c.addrs()})
	if err != nil {
		c.t.Fatal(err)
	}
	defer cl.Close()
	harness.Eventually(c.t, 20*time.Second, "log dirs show the new placement", func() error {
		return logDirsMatch(cl)
	})
}

func logDirsMatch(cl *admin.Client) error {
	dirs, err := cl.LogDirs(context.Background())
	if err != nil {
		return err
	}
	hosts := map[int32][]int32{}
	for _, d := range dirs {
		for _, p := range d.Partitions {
			if p.Topic == "m" && p.Size > 0 {
				hosts[p.Partition] = append(hosts[p.Partition], d.Broker)
			}
		}
	}
	for p, target := range reassignTo {
		if !slices.Equal(slices.Sorted(slices.Values(hosts[p])), slices.Sorted(slices.Values(target))) {
			return fmt.Errorf("m-%d on brokers %v, want %v", p, hosts[p], target)
		}
	}
	sizes, err := cl.TopicSizes(context.Background())
	if err != nil || sizes["m"] < 9*2000*1024 {
		return fmt.Errorf("topic sizes %v (%v): want m >= 3 partitions x 3 replicas x 2 MB", sizes, err)
	}
	return nil
}

// missingInOrder returns the first acknowledged value not found in got
// after the previous one ("" when all are), so duplicates are allowed but
// loss and reordering are not.
func missingInOrder(acked, got []string) string {
	i := 0
	for _, v := range got {
		if i < len(acked) && v == acked[i] {
			i++
		}
	}
	if i < len(acked) {
		return acked[i]
	}
	return ""
}

// checkTargetReplicasAgree reads the target replicas of a partition from
// the stopped brokers' disks: they hold the same batches up to the
// highest high watermark among them.
func checkTargetReplicasAgree(t *testing.T, c *cluster, topic string, p int32, target []int32) {
	t.Helper()
	var reps []replicaLog
	var hw int64
	for _, id := range target {
		r := readReplica(t, c.brokers[id], topic, p)
		reps = append(reps, r)
		hw = max(hw, r.hw)
	}
	want := reps[0].below(hw)
	for _, r := range reps {
		if got := r.below(hw); r.le < hw || !bytes.Equal(got, want) {
			t.Errorf("%s-%d: broker %d (log end %d) differs from broker %d below the high watermark %d", topic, p, r.broker, r.le, reps[0].broker, hw)
		}
	}
}

// checkPartitionDirGone checks that a stopped broker's log dir no longer
// holds the partition, not even awaiting deletion.
func checkPartitionDirGone(t *testing.T, b *harness.Broker, partition string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(b.DataDir, "logs"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == partition || strings.HasPrefix(e.Name(), partition+".") {
			t.Errorf("broker %d still has %s after the reassignment removed it", b.Opts.BrokerID, e.Name())
		}
	}
}

// backgroundProducer writes small acks=all records to every partition in
// turn until stopped, remembering per partition what was acknowledged, in
// order.
type backgroundProducer struct {
	cl    *kgo.Client
	stopc chan struct{}
	done  chan struct{}
	mu    sync.Mutex
	acked map[int32][]string
}

func startBackgroundProducer(t *testing.T, cl *kgo.Client, topic string, partitions int32) *backgroundProducer {
	bp := &backgroundProducer{cl: cl, stopc: make(chan struct{}), done: make(chan struct{}), acked: map[int32][]string{}}
	go func() {
		defer close(bp.done)
		for i := 0; ; i++ {
			select {
			case <-bp.stopc:
				return
			default:
			}
			p := int32(i) % partitions
			v := fmt.Sprintf("bg-%d", i)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			err := cl.ProduceSync(ctx, &kgo.Record{Topic: topic, Partition: p, Value: []byte(v)}).FirstErr()
			cancel()
			if err == nil {
				bp.mu.Lock()
				bp.acked[p] = append(bp.acked[p], v)
				bp.mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() { bp.stop() })
	return bp
}

// stop ends the producer and returns what was acknowledged.
func (bp *backgroundProducer) stop() map[int32][]string {
	select {
	case <-bp.stopc:
	default:
		close(bp.stopc)
	}
	<-bp.done
	bp.mu.Lock()
	defer bp.mu.Unlock()
	return bp.acked
}

func total(m map[int32][]string) int {
	n := 0
	for _, v := range m {
		n += len(v)
	}
	return n
}
