package compat

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/harness"
)

// txnBrokerProps lets one broker host the internal topics (Kafka refuses
// to create __transaction_state with fewer brokers than its replication
// factor, 3 by default), aborts timed-out transactions within a second and
// forms groups without the initial rebalance delay.
var txnBrokerProps = map[string]string{
	"group.initial.rebalance.delay.ms":                            "0",
	"offsets.topic.replication.factor":                            "1",
	"transaction.state.log.replication.factor":                    "1",
	"transaction.state.log.min.isr":                               "1",
	"transaction.abort.timed.out.transaction.cleanup.interval.ms": "1000",
}

func startTxnBroker(t *testing.T) *harness.Broker {
	t.Helper()
	return harness.StartBroker(t, harness.Options{BrokerID: 1, Props: txnBrokerProps})
}

// tp names one partition.
type tp struct {
	topic     string
	partition int32
}

func (p tp) String() string { return fmt.Sprintf("%s-%d", p.topic, p.partition) }

// createTopics creates each topic with its partition count and returns
// every partition, sorted.
func createTopics(t *testing.T, adm *kadm.Client, topics map[string]int32) []tp {
	t.Helper()
	var out []tp
	for name, n := range topics {
		createTopic(t, adm, name, n, nil)
		for p := range n {
			out = append(out, tp{name, p})
		}
	}
	slices.SortFunc(out, func(a, b tp) int { return strings.Compare(a.String(), b.String()) })
	return out
}

// txnClient is a transactional franz-go producer writing to the partition
// each record names.
func txnClient(t *testing.T, addr, id string, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(addr), kgo.TransactionalID(id),
		kgo.RecordPartitioner(kgo.ManualPartitioner()), kgo.TransactionTimeout(20 * time.Second)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}

// labelled returns n records "<label>-<partition>-<i>" for each partition.
func labelled(parts []tp, label string, n int) []*kgo.Record {
	var out []*kgo.Record
	for _, p := range parts {
		for i := range n {
			out = append(out, &kgo.Record{Topic: p.topic, Partition: p.partition, Value: fmt.Appendf(nil, "%s-%s-%d", label, p, i)})
		}
	}
	return out
}

// values returns the values of records, in order.
func values(recs []*kgo.Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = string(r.Value)
	}
	return out
}

// transact writes records in one transaction and commits or aborts it;
// the records reach the log (flushed) before an abort.
func transact(t *testing.T, cl *kgo.Client, commit bool, recs []*kgo.Record) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := cl.BeginTransaction(); err != nil {
		t.Fatalf("begin transaction: %v", err)
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatalf("produce in transaction: %v", err)
	}
	if err := cl.EndTransaction(ctx, kgo.TransactionEndTry(commit)); err != nil {
		t.Fatalf("end transaction (commit %v): %v", commit, err)
	}
}

const sentinel = "end-of-test"

// writeSentinels appends one non-transactional record to each partition:
// a consumer that has read it has read everything before it.
func writeSentinels(t *testing.T, addr string, parts []tp) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var recs []*kgo.Record
	for _, p := range parts {
		recs = append(recs, &kgo.Record{Topic: p.topic, Partition: p.partition, Value: []byte(sentinel)})
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatalf("produce sentinels: %v", err)
	}
}

// readToSentinels reads every partition from its start with the given
// isolation level until each partition's sentinel, and returns the
// records before it by partition.
func readToSentinels(t *testing.T, addr string, parts []tp, level kgo.IsolationLevel) map[tp][]*kgo.Record {
	t.Helper()
	offsets := map[string]map[int32]kgo.Offset{}
	for _, p := range parts {
		if offsets[p.topic] == nil {
			offsets[p.topic] = map[int32]kgo.Offset{}
		}
		offsets[p.topic][p.partition] = kgo.NewOffset().AtStart()
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.ConsumePartitions(offsets), kgo.FetchIsolationLevel(level))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	got := map[tp][]*kgo.Record{}
	done := map[tp]bool{}
	for len(done) < len(parts) {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("read (%v): %d of %d partitions reached their sentinel within 30s", level, len(done), len(parts))
		}
		fs.EachError(func(topic string, p int32, err error) { t.Fatalf("fetch %s-%d: %v", topic, p, err) })
		fs.EachRecord(func(r *kgo.Record) {
			k := tp{r.Topic, r.Partition}
			switch {
			case done[k]:
				t.Errorf("%s: record %q at %d after the sentinel", k, r.Value, r.Offset)
			case string(r.Value) == sentinel:
				done[k] = true
			default:
				got[k] = append(got[k], r)
			}
		})
	}
	return got
}

// offsetsOf returns the offsets of records.
func offsetsOf(recs []*kgo.Record) []int64 {
	out := make([]int64, len(recs))
	for i, r := range recs {
		out[i] = r.Offset
	}
	return out
}

// span returns the offsets from..from+n-1.
func span(from int64, n int) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = from + int64(i)
	}
	return out
}

// listed returns, by partition, what ListOffsets answers: the high
// watermark (read_uncommitted) or the last stable offset (read_committed).
func listed(t *testing.T, adm *kadm.Client, committed bool, topics ...string) map[tp]int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	list := adm.ListEndOffsets
	if committed {
		list = adm.ListCommittedOffsets
	}
	res, err := list(ctx, topics...)
	if err != nil {
		t.Fatalf("list offsets: %v", err)
	}
	out := map[tp]int64{}
	res.Each(func(o kadm.ListedOffset) {
		if o.Err != nil {
			t.Fatalf("list offsets %s-%d: %v", o.Topic, o.Partition, o.Err)
		}
		out[tp{o.Topic, o.Partition}] = o.Offset
	})
	return out
}

// waitStable waits until no transaction holds back the topics: each
// partition's last stable offset is its high watermark. Kafka answers
// EndTxn before the markers are written, so a reader right after a commit
// may still stop short of it.
func waitStable(t *testing.T, adm *kadm.Client, topics ...string) {
	t.Helper()
	harness.Eventually(t, 15*time.Second, fmt.Sprintf("markers written to %v", topics), func() error {
		lso, hw := listed(t, adm, true, topics...), listed(t, adm, false, topics...)
		for p, h := range hw {
			if lso[p] != h {
				return fmt.Errorf("%s: last stable offset %d, high watermark %d", p, lso[p], h)
			}
		}
		return nil
	})
}
