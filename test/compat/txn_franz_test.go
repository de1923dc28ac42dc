package compat

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/test/harness"
)

// TestTxnFranzCommitAbortReadCommitted: a franz-go transactional producer
// commits, aborts and commits again across three partitions of two
// topics, then leaves a fourth transaction open. While it is open, the
// last stable offset stays at its first record (ListOffsets and Fetch),
// Fetch names the aborted transaction, and kadm describes the ongoing
// transaction and its producer on each partition. Committed, a
// read_committed consumer reads exactly the committed records at their
// offsets, a read_uncommitted one reads every record, with one offset
// skipped after each transaction: the marker.
func TestTxnFranzCommitAbortReadCommitted(t *testing.T) {
	const n = 10 // records per partition per transaction
	b := startTxnBroker(t)
	adm := b.Admin()
	parts := createTopics(t, adm, map[string]int32{"txa": 2, "txb": 1})
	cl := txnClient(t, b.Addr, "franz-txn")
	c1, a1, c2, open := labelled(parts, "c1", n), labelled(parts, "a1", n), labelled(parts, "c2", n), labelled(parts, "open", n)
	transact(t, cl, true, c1)
	transact(t, cl, false, a1)
	transact(t, cl, true, c2)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := cl.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	if err := cl.ProduceSync(ctx, open...).FirstErr(); err != nil {
		t.Fatal(err)
	}
	// Each partition: c1 at 0..n-1, marker n, a1 n+1..2n, marker 2n+1,
	// c2 2n+2..3n+1, marker 3n+2, open from 3n+3.
	lso, hw := int64(3*n+3), int64(4*n+3)
	for _, p := range parts {
		if got := listed(t, adm, true, "txa", "txb")[p]; got != lso {
			t.Errorf("%s: read_committed end offset %d with a transaction open, want the last stable offset %d", p, got, lso)
		}
		if got := listed(t, adm, false, "txa", "txb")[p]; got != hw {
			t.Errorf("%s: read_uncommitted end offset %d, want the high watermark %d", p, got, hw)
		}
		checkFetchReadCommitted(t, b.Client(), p, lso, hw, []int64{n + 1})
	}
	checkDescribeOngoing(t, adm, "franz-txn", parts, lso)
	if err := cl.EndTransaction(ctx, kgo.TryCommit); err != nil {
		t.Fatalf("commit: %v", err)
	}
	waitStable(t, adm, "txa", "txb")
	for _, p := range parts {
		if got := listed(t, adm, true, "txa", "txb")[p]; got != hw+1 {
			t.Errorf("%s: read_committed end offset %d after the commit, want %d", p, got, hw+1)
		}
	}
	harness.Eventually(t, 15*time.Second, "the transaction described as committed", func() error {
		return describeCommitted(adm, "franz-txn", parts)
	})

	writeSentinels(t, b.Addr, parts)
	committed := readToSentinels(t, b.Addr, parts, kgo.ReadCommitted())
	uncommitted := readToSentinels(t, b.Addr, parts, kgo.ReadUncommitted())
	for i, p := range parts {
		part := func(recs []*kgo.Record) []string { return values(recs[i*n : (i+1)*n]) }
		want := slices.Concat(part(c1), part(c2), part(open))
		wantOffsets := slices.Concat(span(0, n), span(2*n+2, n), span(3*n+3, n))
		if got := committed[p]; !slices.Equal(values(got), want) || !slices.Equal(offsetsOf(got), wantOffsets) {
			t.Errorf("%s read_committed: %q at %v\nwant %q at %v", p, values(got), offsetsOf(got), want, wantOffsets)
		}
		want = slices.Concat(part(c1), part(a1), part(c2), part(open))
		wantOffsets = slices.Concat(span(0, n), span(n+1, n), span(2*n+2, n), span(3*n+3, n))
		if got := uncommitted[p]; !slices.Equal(values(got), want) || !slices.Equal(offsetsOf(got), wantOffsets) {
			t.Errorf("%s read_uncommitted: %q at %v\nwant %q at %v", p, values(got), offsetsOf(got), want, wantOffsets)
		}
	}
}

// checkFetchReadCommitted sends a read_committed Fetch from offset 0 and
// checks the partition's last stable offset, high watermark, that no
// record at or past the LSO is returned, and the first offsets of the
// aborted transactions it names.
func checkFetchReadCommitted(t *testing.T, cl *kgo.Client, p tp, lso, hw int64, abortedFirst []int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	topics, err := kadm.NewClient(cl).ListTopics(ctx, p.topic)
	if err != nil {
		t.Fatal(err)
	}
	req := kmsg.NewPtrFetchRequest()
	req.ReplicaID, req.MaxBytes, req.IsolationLevel, req.SessionEpoch = -1, 1<<20, 1, -1
	rt := kmsg.NewFetchRequestTopic()
	rt.Topic, rt.TopicID = p.topic, topics[p.topic].ID
	rp := kmsg.NewFetchRequestTopicPartition()
	rp.Partition, rp.FetchOffset, rp.PartitionMaxBytes, rp.CurrentLeaderEpoch, rp.LogStartOffset = p.partition, 0, 1<<20, -1, -1
	rt.Partitions = []kmsg.FetchRequestTopicPartition{rp}
	req.Topics = []kmsg.FetchRequestTopic{rt}
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		t.Fatalf("fetch %s: %v", p, err)
	}
	if len(resp.Topics) != 1 || len(resp.Topics[0].Partitions) != 1 {
		t.Fatalf("fetch %s: answered %d topics", p, len(resp.Topics))
	}
	fp := resp.Topics[0].Partitions[0]
	if err := kerr.ErrorForCode(fp.ErrorCode); err != nil {
		t.Fatalf("fetch %s: %v", p, err)
	}
	if fp.LastStableOffset != lso || fp.HighWatermark != hw {
		t.Errorf("fetch %s read_committed: last stable offset %d, high watermark %d; want %d and %d", p, fp.LastStableOffset, fp.HighWatermark, lso, hw)
	}
	var aborted []int64
	for _, a := range fp.AbortedTransactions {
		aborted = append(aborted, a.FirstOffset)
	}
	if !slices.Equal(aborted, abortedFirst) {
		t.Errorf("fetch %s read_committed: aborted transactions start at %v, want %v", p, aborted, abortedFirst)
	}
	for _, end := range batchEnds(fp.RecordBatches) {
		if end > lso {
			t.Errorf("fetch %s read_committed: a batch ends at offset %d, past the last stable offset %d", p, end-1, lso)
		}
	}
}

// batchEnds returns the next offset after each record batch.
func batchEnds(b []byte) []int64 {
	var out []int64
	for len(b) >= 61 {
		var rb kmsg.RecordBatch
		size := int(int32(uint32(b[8])<<24|uint32(b[9])<<16|uint32(b[10])<<8|uint32(b[11]))) + 12
		if size > len(b) || rb.ReadFrom(b[:size]) != nil {
			break
		}
		out = append(out, rb.FirstOffset+int64(rb.LastOffsetDelta)+1)
		b = b[size:]
	}
	return out
}

// checkDescribeOngoing: ListTransactions, DescribeTransactions and
// DescribeProducers on an open transaction that wrote to parts from
// offset first.
func checkDescribeOngoing(t *testing.T, adm *kadm.Client, id string, parts []tp, first int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	list, err := adm.ListTransactions(ctx, nil, nil)
	if err != nil {
		t.Fatalf("ListTransactions: %v", err)
	}
	l, ok := list[id]
	if !ok || l.State != "Ongoing" || l.ProducerID < 0 || l.Coordinator != 1 {
		t.Errorf("ListTransactions: %+v, want %s Ongoing on broker 1", list, id)
	}
	if only, err := adm.ListTransactions(ctx, nil, []string{"CompleteCommit"}); err != nil || len(only) != 0 {
		t.Errorf("ListTransactions filtered to CompleteCommit: %+v, %v; want none", only, err)
	}
	desc, err := adm.DescribeTransactions(ctx, id)
	if err != nil {
		t.Fatalf("DescribeTransactions: %v", err)
	}
	d := desc[id]
	want := kadm.TopicsSet{}
	for _, p := range parts {
		want.Add(p.topic, p.partition)
	}
	if d.Err != nil || d.State != "Ongoing" || d.ProducerID != l.ProducerID || d.TimeoutMillis != 20_000 ||
		d.StartTimestamp <= 0 || d.Coordinator != 1 || fmt.Sprint(d.Topics.Sorted()) != fmt.Sprint(want.Sorted()) {
		t.Errorf("DescribeTransactions: %+v\nwant Ongoing, producer %d, timeout 20000, partitions %v", d, l.ProducerID, want.Sorted())
	}
	prods, err := adm.DescribeProducers(ctx, want)
	if err != nil {
		t.Fatalf("DescribeProducers: %v", err)
	}
	for _, p := range parts {
		dp := prods[p.topic].Partitions[p.partition]
		if dp.Err != nil || len(dp.ActiveProducers) != 1 {
			t.Errorf("DescribeProducers %s: %+v, want one active producer", p, dp)
			continue
		}
		ap := dp.ActiveProducers[0]
		if ap.ProducerID != l.ProducerID || ap.ProducerEpoch != d.ProducerEpoch || ap.CurrentTxnStartOffset != first || ap.LastSequence < 0 || ap.Leader != 1 {
			t.Errorf("DescribeProducers %s: %+v, want producer %d epoch %d with its transaction from offset %d", p, ap, l.ProducerID, d.ProducerEpoch, first)
		}
	}
}

// describeCommitted: after the commit (once the markers are written) the
// transaction is CompleteCommit without partitions, and its producer has
// no open transaction on any partition.
func describeCommitted(adm *kadm.Client, id string, parts []tp) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	desc, err := adm.DescribeTransactions(ctx, id)
	if err != nil {
		return fmt.Errorf("DescribeTransactions: %w", err)
	}
	if d := desc[id]; d.Err != nil || d.State != "CompleteCommit" || len(d.Topics) != 0 {
		return fmt.Errorf("DescribeTransactions after commit: %+v, want CompleteCommit and no partitions", d)
	}
	list, err := adm.ListTransactions(ctx, nil, []string{"CompleteCommit"})
	if err != nil || list[id].State != "CompleteCommit" {
		return fmt.Errorf("ListTransactions filtered to CompleteCommit: %+v, %v; want %s", list, err, id)
	}
	set := kadm.TopicsSet{}
	for _, p := range parts {
		set.Add(p.topic, p.partition)
	}
	prods, err := adm.DescribeProducers(ctx, set)
	if err != nil {
		return fmt.Errorf("DescribeProducers: %w", err)
	}
	var open []string
	prods.EachProducer(func(ap kadm.DescribedProducer) {
		if ap.CurrentTxnStartOffset != -1 {
			open = append(open, fmt.Sprintf("%s-%d: %+v", ap.Topic, ap.Partition, ap))
		}
	})
	if len(open) > 0 {
		return fmt.Errorf("DescribeProducers after commit: want no open transaction (-1): %v", open)
	}
	return nil
}

// TestTxnFranzGroupTransactSession: consume-transform-produce with
// franz-go's GroupTransactSession (offsets committed in the transaction,
// read_committed input, stable offsets required). The first session
// commits some transactions, then writes one more batch and is closed
// without ending it; a second session with the same transactional id
// takes over, fencing the first (its open transaction is aborted), and
// finishes the input. The output holds every input record exactly once
// under read_committed, the abandoned batch only under read_uncommitted,
// and the group's offsets are the input's end offsets.
func TestTxnFranzGroupTransactSession(t *testing.T) {
	const n, group = 300, "ctp-group"
	b := startTxnBroker(t)
	adm := b.Admin()
	createTopics(t, adm, map[string]int32{"ctp-in": 3})
	outParts := createTopics(t, adm, map[string]int32{"ctp-out": 3})
	in := b.Client(kgo.DefaultProduceTopic("ctp-in"))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for i := range n {
		in.Produce(ctx, &kgo.Record{Key: fmt.Appendf(nil, "%d", i), Value: fmt.Appendf(nil, "in-%04d", i)}, nil)
	}
	if err := in.Flush(ctx); err != nil {
		t.Fatal(err)
	}

	first := newTransactSession(t, b.Addr, group)
	done := transform(ctx, t, first, 100)
	if done < 100 {
		t.Fatalf("first session: %d records", done)
	}
	abandoned := abandonTransaction(ctx, t, first)
	first.Close()
	second := newTransactSession(t, b.Addr, group)
	defer second.Close()
	done += transform(ctx, t, second, n-done)

	waitStable(t, adm, "ctp-out")
	writeSentinels(t, b.Addr, outParts)
	seen := map[string]int{}
	for _, recs := range readToSentinels(t, b.Addr, outParts, kgo.ReadCommitted()) {
		for _, r := range recs {
			seen[string(r.Value)]++
		}
	}
	for i := range n {
		if v := fmt.Sprintf("out-%04d", i); seen[v] != 1 {
			t.Errorf("read_committed: %s %d times, want once", v, seen[v])
		}
	}
	if len(seen) != n {
		t.Errorf("read_committed: %d distinct values, want %d", len(seen), n)
	}
	dups := 0
	for _, recs := range readToSentinels(t, b.Addr, outParts, kgo.ReadUncommitted()) {
		dups += len(recs)
	}
	dups -= n
	if dups < abandoned {
		t.Errorf("read_uncommitted: %d records beyond the %d committed, want at least the %d of the abandoned transaction", dups, n, abandoned)
	}
	checkGroupAtEnd(t, adm, group, "ctp-in", map[int32]bool{0: true, 1: true, 2: true})
	t.Logf("consume-transform-produce: %d input records, %d committed once each, %d aborted records filtered (%d of the abandoned transaction)", n, len(seen), dups, abandoned)
}

func newTransactSession(t *testing.T, addr, group string) *kgo.GroupTransactSession {
	t.Helper()
	s, err := kgo.NewGroupTransactSession(kgo.SeedBrokers(addr), kgo.TransactionalID("ctp-txn"),
		kgo.ConsumerGroup(group), kgo.ConsumeTopics("ctp-in"), kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.RequireStableFetchOffsets(), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.DefaultProduceTopic("ctp-out"), kgo.TransactionTimeout(10*time.Second),
		kgo.SessionTimeout(6*time.Second), kgo.RebalanceTimeout(10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// transform runs transactions of up to 25 records "in-i" -> "out-i" until
// want records were committed, and returns how many were.
func transform(ctx context.Context, t *testing.T, s *kgo.GroupTransactSession, want int) int {
	t.Helper()
	done := 0
	for done < want {
		fs := s.PollRecords(ctx, 25)
		if ctx.Err() != nil {
			t.Fatalf("transformed %d of %d records: %v", done, want, ctx.Err())
		}
		fs.EachError(func(topic string, p int32, err error) { t.Fatalf("fetch %s-%d: %v", topic, p, err) })
		recs := fs.Records()
		if len(recs) == 0 {
			continue
		}
		if err := s.Begin(); err != nil {
			t.Fatalf("begin: %v", err)
		}
		for _, r := range recs {
			s.Produce(ctx, &kgo.Record{Key: r.Key, Value: []byte("out-" + string(r.Value[3:]))}, nil)
		}
		committed, err := s.End(ctx, kgo.TryCommit)
		if err != nil {
			t.Fatalf("end: %v", err)
		}
		if committed {
			done += len(recs)
		}
	}
	return done
}

// abandonTransaction polls, writes the transformed batch to the log and
// returns without ending the transaction.
func abandonTransaction(ctx context.Context, t *testing.T, s *kgo.GroupTransactSession) int {
	t.Helper()
	for {
		recs := s.PollRecords(ctx, 25).Records()
		if ctx.Err() != nil {
			t.Fatal(ctx.Err())
		}
		if len(recs) == 0 {
			continue
		}
		if err := s.Begin(); err != nil {
			t.Fatal(err)
		}
		var out []*kgo.Record
		for _, r := range recs {
			out = append(out, &kgo.Record{Key: r.Key, Value: []byte("out-" + string(r.Value[3:]))})
		}
		if err := s.ProduceSync(ctx, out...).FirstErr(); err != nil {
			t.Fatal(err)
		}
		return len(out)
	}
}

// checkGroupAtEnd: the group's committed offsets become the topic's end
// offsets, for each partition in parts (a transactional commit is visible
// once its marker is written).
func checkGroupAtEnd(t *testing.T, adm *kadm.Client, group, topic string, parts map[int32]bool) {
	t.Helper()
	ends := listed(t, adm, false, topic)
	harness.Eventually(t, 15*time.Second, "group "+group+" committed at the end of "+topic, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		offs, err := adm.FetchOffsets(ctx, group)
		if err != nil {
			return err
		}
		for p, end := range ends {
			o, ok := offs.Lookup(topic, p.partition)
			if parts[p.partition] && (!ok || o.Err != nil || o.At != end) {
				return fmt.Errorf("committed %+v for %s, want the end offset %d", o, p, end)
			}
		}
		return nil
	})
}

// TestTxnFranzTimeoutAborts: a producer that writes in a transaction and
// vanishes without ending it holds the last stable offset back only until
// transaction.timeout.ms: the coordinator aborts it (markers written,
// CompleteAbort), read_committed readers move past it and never see its
// records, a later transaction of another producer is read.
func TestTxnFranzTimeoutAborts(t *testing.T) {
	const n = 5
	b := startTxnBroker(t)
	adm := b.Admin()
	parts := createTopics(t, adm, map[string]int32{"timeout": 2})
	gone, err := kgo.NewClient(kgo.SeedBrokers(b.Addr), kgo.TransactionalID("vanishing"),
		kgo.RecordPartitioner(kgo.ManualPartitioner()), kgo.TransactionTimeout(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := gone.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	if err := gone.ProduceSync(ctx, labelled(parts, "lost", n)...).FirstErr(); err != nil {
		t.Fatal(err)
	}
	gone.Close() // no EndTxn
	for p, lso := range listed(t, adm, true, "timeout") {
		if lso != 0 {
			t.Errorf("%s: last stable offset %d with the transaction open, want 0", p, lso)
		}
	}
	later := labelled(parts, "later", n)
	transact(t, txnClient(t, b.Addr, "survivor"), true, later)

	started := time.Now()
	waitStable(t, adm, "timeout")
	t.Logf("the abandoned transaction was aborted %v after the next one committed", time.Since(started).Round(time.Millisecond))
	harness.Eventually(t, 10*time.Second, "vanishing described as aborted", func() error {
		desc, err := adm.DescribeTransactions(ctx, "vanishing")
		if err != nil {
			return err
		}
		if d := desc["vanishing"]; d.Err != nil || d.State != "CompleteAbort" {
			return fmt.Errorf("%+v", d)
		}
		return nil
	})
	writeSentinels(t, b.Addr, parts)
	committed := readToSentinels(t, b.Addr, parts, kgo.ReadCommitted())
	uncommitted := readToSentinels(t, b.Addr, parts, kgo.ReadUncommitted())
	for i, p := range parts {
		lost, want := values(labelled(parts, "lost", n)[i*n:(i+1)*n]), values(later[i*n:(i+1)*n])
		if got := values(committed[p]); !slices.Equal(got, want) {
			t.Errorf("%s read_committed: %q, want %q", p, got, want)
		}
		if got := values(uncommitted[p]); !slices.Equal(got, slices.Concat(lost, want)) && !slices.Equal(got, slices.Concat(want, lost)) {
			t.Errorf("%s read_uncommitted: %q, want the lost and the later records", p, got)
		}
	}
}

// TestTxnEmptyAbortNotIndexed: a transaction adds two partitions but its
// record to the second is refused (MESSAGE_TOO_LARGE), so it aborts with
// data in the first only. Both get an ABORT marker; as in Kafka
// (ProducerAppendInfo.appendEndTxnMarker emits a completed transaction only
// when it has data in the partition), only the first indexes an aborted
// transaction: a read_committed Fetch of the second names none.
func TestTxnEmptyAbortNotIndexed(t *testing.T) {
	b := startTxnBroker(t)
	adm := b.Admin()
	createTopic(t, adm, "empty-abort", 2, map[string]*string{"max.message.bytes": strPtr("1000")})
	cl := txnClient(t, b.Addr, "empty-abort")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := cl.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	if err := cl.ProduceSync(ctx, &kgo.Record{Topic: "empty-abort", Partition: 0, Value: []byte("small")}).FirstErr(); err != nil {
		t.Fatal(err)
	}
	big := &kgo.Record{Topic: "empty-abort", Partition: 1, Value: make([]byte, 2000)}
	_, _ = rand.Read(big.Value) // incompressible
	if err := cl.ProduceSync(ctx, big).FirstErr(); !errors.Is(err, kerr.MessageTooLarge) {
		t.Fatalf("a 2000-byte record to a topic of max.message.bytes=1000: %v, want MESSAGE_TOO_LARGE", err)
	}
	if err := cl.EndTransaction(ctx, kgo.TryAbort); err != nil {
		t.Fatalf("abort: %v", err)
	}
	waitStable(t, adm, "empty-abort")
	ends := listed(t, adm, false, "empty-abort")
	if ends[tp{"empty-abort", 0}] != 2 || ends[tp{"empty-abort", 1}] != 1 {
		t.Fatalf("end offsets %v, want 2 (record, marker) and 1 (marker)", ends)
	}
	checkFetchReadCommitted(t, b.Client(), tp{"empty-abort", 0}, 2, 2, []int64{0})
	checkFetchReadCommitted(t, b.Client(), tp{"empty-abort", 1}, 1, 1, nil)
}
