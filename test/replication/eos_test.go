package replication

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/harness"
)

// eosProps: the transaction state log and the offsets topic replicated
// three times with two in sync to write (fewer partitions than Kafka's 50,
// so waiting for their ISRs is quick), timed-out transactions aborted
// within a second, groups formed without the initial delay.
var eosProps = map[string]string{
	"transaction.state.log.replication.factor":                    "3",
	"transaction.state.log.min.isr":                               "2",
	"transaction.state.log.num.partitions":                        "5",
	"offsets.topic.replication.factor":                            "3",
	"offsets.topic.num.partitions":                                "5",
	"transaction.abort.timed.out.transaction.cleanup.interval.ms": "1000",
	"group.initial.rebalance.delay.ms":                            "0",
}

// TestExactlyOnceUnderFaults: two consume-transform-produce workers
// (franz-go GroupTransactSession, each its own process and transactional
// id, one consumer group) turn N numbered input records into N output
// records on RF=3, min.insync.replicas=2 topics, while the test SIGKILLs
// and SIGSTOPs the transaction coordinator's broker, output partition
// leaders and the workers themselves. Afterwards:
//   - read_committed reads every input record's output exactly once, and
//     exactly the records the logs on disk show committed by their markers
//     (no record of an aborted transaction);
//   - a read_committed consumer tailing the output through every fault
//     read the same (no leader ever served past the last stable offset);
//   - read_uncommitted shows the aborted duplicates read_committed filtered;
//   - the group's committed offsets are the input's end offsets;
//   - every replica of every partition (output, input, transaction state,
//     the group's offsets) holds the same log below the high watermark, and
//     the same .txnindex entries, which are the log's aborted transactions.
func TestExactlyOnceUnderFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("exactly-once under faults takes a minute or two")
	}
	const n, partitions = 4000, int32(3)
	c := startCluster(t, 3, eosProps)
	c.createTopic(eosIn, partitions, minInsync2())
	c.createTopic(eosOut, partitions, minInsync2())
	fillInput(t, c, n, partitions)
	inEnds := c.endOffsets(eosIn, false)
	var total int64
	for _, o := range inEnds {
		total += o
	}

	var parts []int32
	for p := range partitions {
		parts = append(parts, p)
	}
	tail := c.tailCommitted(eosOut, parts)
	fast := filepath.Join(t.TempDir(), "fast")
	w1 := startEOSWorker(t, c, "eos-w1", fast)
	w2 := startEOSWorker(t, c, "eos-w2", fast)
	var last int64
	healthy := func() {
		last = c.waitProgress(last, 2*eosBatch, total, 90*time.Second)
		c.zk.WaitFullIsr(eosOut, partitions, 60*time.Second)
		c.zk.WaitFullIsr("__transaction_state", 5, 60*time.Second)
	}
	healthy()
	faults := []fault{
		killCoordinator(c, "eos-w1", healthy),
		killLeader(c, eosOut, 0, healthy),
		killWorker(w1, healthy),
		freezeCoordinator(c, "eos-w2", healthy),
		freezeLeader(c, eosOut, 1, healthy),
		freezeWorker(w2, healthy),
	}
	atFaultsEnd := last
	if err := os.WriteFile(fast, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	c.waitProgress(total-1, 1, total, 120*time.Second)
	w1.shutdown()
	w2.shutdown()
	for _, f := range faults {
		t.Logf("  %-40s %v", f.what, f.end.Sub(f.start).Round(time.Millisecond))
	}
	if atFaultsEnd >= total {
		t.Logf("the pipeline finished before the last fault ended: increase n")
	}

	c.waitStable(eosOut, 30*time.Second)
	c.checkGroupOffsets(t, inEnds)
	c.writeSentinels(eosOut, parts)
	committed := c.readToSentinels(eosOut, parts, kgo.ReadCommitted())
	uncommitted := c.readToSentinels(eosOut, parts, kgo.ReadUncommitted())
	outCount, dups := checkOutputOnce(t, n, committed, uncommitted)
	tailed := tail.wait(t, 60*time.Second)
	for _, p := range parts {
		if !slices.Equal(tailed[p], committed[p]) {
			t.Errorf("%s-%d: the read_committed consumer tailing through the faults read %d records, %d differ from the final read of %d (first difference at %d)",
				eosOut, p, len(tailed[p]), countDifferent(tailed[p], committed[p]), len(committed[p]), firstDifference(tailed[p], committed[p]))
		}
	}

	// Quiet before the brokers stop: the group's members expired (its last
	// write), every internal partition's ISR whole.
	c.waitGroupEmpty(60 * time.Second)
	c.zk.WaitFullIsr("__consumer_offsets", 5, 30*time.Second)
	c.zk.WaitFullIsr("__transaction_state", 5, 30*time.Second)
	harness.StopAll(c.t, c.brokers)
	abortMarkers, abortedRecords, commitMarkers := 0, 0, 0
	for _, p := range parts {
		reps := checkReplicasAgree(t, c, eosOut, p)
		var hw int64
		for _, r := range reps {
			hw = max(hw, r.hw)
		}
		tl := resolveTxns(t, reps[0], hw)
		checkCommittedIsRead(t, p, tl, committed[p])
		checkTxnIndexesAgree(t, c, eosOut, p, hw, tl.aborts, tl.emptyAborts)
		abortMarkers += len(tl.aborts) + len(tl.emptyAborts)
		abortedRecords += len(tl.aborted)
		commitMarkers += tl.commits
		checkReplicasAgree(t, c, eosIn, p)
	}
	for p := range int32(5) {
		checkReplicasAgree(t, c, "__transaction_state", p)
	}
	checkReplicasAgree(t, c, "__consumer_offsets", groupPartition(eosGroup, 5))

	c1, a1 := w1.ended()
	c2, a2 := w2.ended()
	t.Logf("exactly once: %d input records, %d committed output records (read_committed), %d read_uncommitted duplicates filtered",
		total, outCount, dups)
	t.Logf("  on disk: %d commit markers, %d abort markers, %d records of aborted transactions",
		commitMarkers, abortMarkers, abortedRecords)
	t.Logf("  workers: %d committed and %d aborted transactions (End's answer), %d and %d process runs",
		c1+c2, a1+a2, w1.runs(), w2.runs())
	if abortMarkers == 0 {
		t.Errorf("no transaction was aborted: the faults did not land inside transactions")
	}
}

// fillInput writes n records "in-<i>" round-robin to the input's
// partitions, non-transactionally.
func fillInput(t *testing.T, c *cluster, n int, partitions int32) {
	t.Helper()
	cl := c.producer()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var recs []*kgo.Record
	for i := range n {
		v := fmt.Sprintf("in-%05d", i)
		recs = append(recs, &kgo.Record{Topic: eosIn, Partition: int32(i) % partitions, Key: []byte(v), Value: []byte(v)})
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatalf("fill %s: %v", eosIn, err)
	}
}

// checkOutputOnce: every "out-<i>" for i < n is read once under
// read_committed and nothing else is; it returns the records read and how
// many more read_uncommitted read (the aborted duplicates).
func checkOutputOnce(t *testing.T, n int, committed, uncommitted map[int32][]record) (int, int) {
	t.Helper()
	seen := map[string]int{}
	count := 0
	for _, recs := range committed {
		for _, r := range recs {
			seen[r.value]++
			count++
		}
	}
	missing, twice := 0, 0
	for i := range n {
		switch seen[fmt.Sprintf("out-%05d", i)] {
		case 0:
			missing++
		case 1:
		default:
			twice++
		}
	}
	if missing > 0 || twice > 0 || count != n {
		t.Errorf("read_committed: %d records, %d of the %d outputs missing, %d more than once", count, missing, n, twice)
	}
	all := 0
	for _, recs := range uncommitted {
		all += len(recs)
	}
	return count, all - count
}

// tailer is a read_committed consumer following a topic from its start
// while the faults happen, so a leader exposing records past the last
// stable offset (a transaction later aborted) is caught in the act.
type tailer struct {
	done    chan struct{}
	cancel  context.CancelFunc
	records map[int32][]record
	err     error
}

func (c *cluster) tailCommitted(topic string, parts []int32) *tailer {
	c.t.Helper()
	offsets := map[int32]kgo.Offset{}
	for _, p := range parts {
		offsets[p] = kgo.NewOffset().AtStart()
	}
	cl := c.client(kgo.SeedBrokers(c.allAddrs()...), kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: offsets}),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()), kgo.FetchMaxWait(500*time.Millisecond),
		kgo.RequestTimeoutOverhead(2*time.Second), kgo.MetadataMinAge(100*time.Millisecond))
	ctx, cancel := context.WithCancel(context.Background())
	tl := &tailer{done: make(chan struct{}), cancel: cancel, records: map[int32][]record{}}
	c.t.Cleanup(func() { cancel(); <-tl.done })
	go func() {
		defer close(tl.done)
		ended := map[int32]bool{}
		for len(ended) < len(parts) {
			fs := cl.PollFetches(ctx)
			if ctx.Err() != nil {
				tl.err = fmt.Errorf("%d of %d partitions reached their sentinel", len(ended), len(parts))
				return
			}
			fs.EachRecord(func(r *kgo.Record) {
				switch {
				case ended[r.Partition]:
				case string(r.Value) == sentinel:
					ended[r.Partition] = true
				default:
					tl.records[r.Partition] = append(tl.records[r.Partition], record{offset: r.Offset, value: string(r.Value)})
				}
			})
		}
	}()
	return tl
}

// wait waits until the tailer read every partition's sentinel and returns
// what it read before them.
func (tl *tailer) wait(t *testing.T, within time.Duration) map[int32][]record {
	t.Helper()
	select {
	case <-tl.done:
	case <-time.After(within):
		tl.cancel()
		<-tl.done
	}
	if tl.err != nil {
		t.Fatalf("tailing read_committed consumer: %v", tl.err)
	}
	return tl.records
}

func countDifferent(a, b []record) int {
	in := map[record]bool{}
	for _, r := range b {
		in[r] = true
	}
	n := 0
	for _, r := range a {
		if !in[r] {
			n++
		}
	}
	return n
}

// checkCommittedIsRead: what read_committed read of a partition is exactly
// what its log on disk holds committed (offsets and values), so no record
// of an aborted transaction was read; no transaction is left open.
func checkCommittedIsRead(t *testing.T, p int32, tl txnLog, read []record) {
	t.Helper()
	var onDisk []record
	for _, r := range tl.committed {
		if r.value != sentinel {
			onDisk = append(onDisk, r)
		}
	}
	if !slices.Equal(onDisk, read) {
		t.Errorf("%s-%d: read_committed read %d records, the log holds %d committed (first difference at %d)",
			eosOut, p, len(read), len(onDisk), firstDifference(onDisk, read))
	}
	aborted := map[int64]bool{}
	for _, r := range tl.aborted {
		aborted[r.offset] = true
	}
	var readAborted []string
	for _, r := range read {
		if aborted[r.offset] {
			readAborted = append(readAborted, fmt.Sprintf("%s@%d", r.value, r.offset))
		}
	}
	if len(readAborted) > 0 {
		t.Errorf("%s-%d: read_committed read %d records of aborted transactions: %s", eosOut, p, len(readAborted), short(readAborted))
	}
	if len(tl.open) > 0 {
		t.Errorf("%s-%d: %d records of transactions without a marker", eosOut, p, len(tl.open))
	}
}

func firstDifference(a, b []record) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// groupPartition is the __consumer_offsets partition of a group:
// abs(javaHash(group)) % partitions.
func groupPartition(group string, partitions int32) int32 {
	var h int32
	for _, r := range group {
		h = 31*h + r
	}
	if h == math.MinInt32 { // Kafka's Utils.abs
		h = 0
	}
	if h < 0 {
		h = -h
	}
	return h % partitions
}

// killCoordinator SIGKILLs the broker coordinating a transactional id,
// waits until another one does, and restarts it.
func killCoordinator(c *cluster, id string, healthy func()) fault {
	old := c.txnCoordinator(id, -1)
	f := fault{what: fmt.Sprintf("SIGKILL coordinator %d of %s", old, id), partition: -1, start: time.Now()}
	c.brokers[old].Kill()
	c.txnCoordinator(id, old)
	c.brokers[old].Start()
	healthy()
	f.end = time.Now()
	return f
}

// freezeCoordinator SIGSTOPs the broker coordinating a transactional id
// past its session timeout, then thaws it.
func freezeCoordinator(c *cluster, id string, healthy func()) fault {
	old := c.txnCoordinator(id, -1)
	f := fault{what: fmt.Sprintf("SIGSTOP coordinator %d of %s", old, id), partition: -1, start: time.Now()}
	c.brokers[old].Freeze()
	c.txnCoordinator(id, old)
	time.Sleep(time.Until(f.start.Add(sessionTimeout + 2*time.Second))) // the fault itself: frozen this long
	c.brokers[old].Thaw()
	healthy()
	f.end = time.Now()
	return f
}

// killWorker SIGKILLs a worker process inside a transaction; its
// supervisor starts it again at once.
func killWorker(w *eosWorkerProc, healthy func()) fault {
	f := fault{what: "SIGKILL worker " + w.id, partition: -1, start: time.Now()}
	w.kill()
	healthy()
	f.end = time.Now()
	return f
}

// freezeWorker SIGSTOPs a worker past its group session and its
// transaction timeout: the group moves its partitions, the coordinator
// aborts its transaction; thawed, it must not commit.
func freezeWorker(w *eosWorkerProc, healthy func()) fault {
	f := fault{what: "SIGSTOP worker " + w.id, partition: -1, start: time.Now()}
	w.freeze()
	time.Sleep(eosTxnTimout + 3*time.Second) // the fault itself: frozen this long
	w.thaw()
	healthy()
	f.end = time.Now()
	return f
}

// allAddrs returns every broker's address, running or not.
func (c *cluster) allAddrs() []string {
	var out []string
	for id := int32(1); id <= int32(len(c.brokers)); id++ {
		out = append(out, c.brokers[id].Addr)
	}
	return out
}

// admin runs fn with an admin client of the running brokers, closed after.
func (c *cluster) admin(fn func(ctx context.Context, adm *kadm.Client) error) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.addrs()...), kgo.RequestTimeoutOverhead(2*time.Second))
	if err != nil {
		return err
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return fn(ctx, kadm.NewClient(cl))
}

// txnCoordinator returns the broker FindCoordinator names for a
// transactional id, waiting until it is not the broker not.
func (c *cluster) txnCoordinator(id string, not int32) int32 {
	c.t.Helper()
	var got int32
	harness.Eventually(c.t, sessionTimeout+20*time.Second, fmt.Sprintf("a coordinator of %s other than %d", id, not), func() error {
		return c.admin(func(ctx context.Context, adm *kadm.Client) error {
			r, ok := adm.FindTxnCoordinators(ctx, id)[id]
			switch {
			case !ok:
				return fmt.Errorf("no answer")
			case r.Err != nil:
				return r.Err
			case r.NodeID == not:
				return fmt.Errorf("still %d", not)
			}
			got = r.NodeID
			return nil
		})
	})
	return got
}

// endOffsets returns each partition's high watermark, or with committed
// its last stable offset.
func (c *cluster) endOffsets(topic string, committed bool) map[int32]int64 {
	c.t.Helper()
	var out map[int32]int64
	harness.Eventually(c.t, 30*time.Second, "end offsets of "+topic, func() error {
		return c.admin(func(ctx context.Context, adm *kadm.Client) error {
			list := adm.ListEndOffsets
			if committed {
				list = adm.ListCommittedOffsets
			}
			res, err := list(ctx, topic)
			if err == nil {
				err = res.Error()
			}
			if err != nil {
				return err
			}
			out = map[int32]int64{}
			res.Each(func(o kadm.ListedOffset) { out[o.Partition] = o.Offset })
			return nil
		})
	})
	return out
}

// committedTotal is the sum of the group's committed input offsets.
func (c *cluster) committedTotal() (int64, error) {
	var sum int64
	err := c.admin(func(ctx context.Context, adm *kadm.Client) error {
		offs, err := adm.FetchOffsets(ctx, eosGroup)
		if err != nil {
			return err
		}
		if err := offs.Error(); err != nil {
			return err
		}
		offs.Each(func(o kadm.OffsetResponse) {
			if o.Topic == eosIn {
				sum += o.At
			}
		})
		return nil
	})
	return sum, err
}

// waitProgress waits until the group committed at least step input
// records past from (or all of them) and returns the total.
func (c *cluster) waitProgress(from, step, total int64, within time.Duration) int64 {
	c.t.Helper()
	var got int64
	harness.Eventually(c.t, within, fmt.Sprintf("the pipeline past %d of %d input records", from+step, total), func() error {
		sum, err := c.committedTotal()
		if err != nil {
			return err
		}
		if got = sum; sum < min(from+step, total) {
			return fmt.Errorf("committed %d", sum)
		}
		return nil
	})
	return got
}

// waitStable waits until no transaction holds a partition's last stable
// offset below its high watermark.
func (c *cluster) waitStable(topic string, within time.Duration) {
	c.t.Helper()
	harness.Eventually(c.t, within, "no open transaction on "+topic, func() error {
		lso, hw := c.endOffsets(topic, true), c.endOffsets(topic, false)
		for p, h := range hw {
			if lso[p] != h {
				return fmt.Errorf("partition %d: last stable offset %d, high watermark %d", p, lso[p], h)
			}
		}
		return nil
	})
}

// waitGroupEmpty waits until the group has no members.
func (c *cluster) waitGroupEmpty(within time.Duration) {
	c.t.Helper()
	harness.Eventually(c.t, within, eosGroup+" empty", func() error {
		return c.admin(func(ctx context.Context, adm *kadm.Client) error {
			groups, err := adm.DescribeGroups(ctx, eosGroup)
			if err != nil {
				return err
			}
			if g := groups[eosGroup]; g.Err != nil || g.State != "Empty" {
				return fmt.Errorf("state %q, %d members, %v", g.State, len(g.Members), g.Err)
			}
			return nil
		})
	})
}

// checkGroupOffsets: the group committed each input partition's end.
func (c *cluster) checkGroupOffsets(t *testing.T, ends map[int32]int64) {
	t.Helper()
	err := c.admin(func(ctx context.Context, adm *kadm.Client) error {
		offs, err := adm.FetchOffsets(ctx, eosGroup)
		if err != nil {
			return err
		}
		for p, end := range ends {
			if o, ok := offs.Lookup(eosIn, p); !ok || o.Err != nil || o.At != end {
				t.Errorf("group %s committed %+v for %s-%d, want its end offset %d", eosGroup, o, eosIn, p, end)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("fetch offsets of %s: %v", eosGroup, err)
	}
}

const sentinel = "end-of-test"

// writeSentinels appends one non-transactional record to each partition:
// a consumer that has read it has read everything before it.
func (c *cluster) writeSentinels(topic string, parts []int32) {
	c.t.Helper()
	cl := c.producer()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, p := range parts {
		if err := cl.ProduceSync(ctx, &kgo.Record{Topic: topic, Partition: p, Value: []byte(sentinel)}).FirstErr(); err != nil {
			c.t.Fatalf("sentinel to %s-%d: %v", topic, p, err)
		}
	}
}

// readToSentinels reads partitions from their start with an isolation
// level up to each one's sentinel and returns the records before it.
func (c *cluster) readToSentinels(topic string, parts []int32, level kgo.IsolationLevel) map[int32][]record {
	c.t.Helper()
	offsets := map[int32]kgo.Offset{}
	for _, p := range parts {
		offsets[p] = kgo.NewOffset().AtStart()
	}
	cl := c.client(kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: offsets}), kgo.FetchIsolationLevel(level))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	got, done := map[int32][]record{}, map[int32]bool{}
	for len(done) < len(parts) {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			c.t.Fatalf("read %s (%v): %d of %d partitions reached their sentinel in 60s", topic, level, len(done), len(parts))
		}
		fs.EachRecord(func(r *kgo.Record) {
			switch {
			case done[r.Partition]:
			case string(r.Value) == sentinel:
				done[r.Partition] = true
			default:
				got[r.Partition] = append(got[r.Partition], record{offset: r.Offset, value: string(r.Value)})
			}
		})
	}
	return got
}
