package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/harness"
)

// TestTransactionsFromProduceToAbort runs the transactional CLI against a
// real broker: kq produce --transactional-id commits in batches, a
// read_committed consume sees the committed records and stops at an open
// transaction, kq transactions lists, describes, describes producers and
// finds no hanging transaction, and abort --start-offset ends the open
// transaction: its record stays hidden and later commits are read.
func TestTransactionsFromProduceToAbort(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Props: map[string]string{
		"offsets.topic.replication.factor":         "1",
		"transaction.state.log.replication.factor": "1",
		"transaction.state.log.min.isr":            "1",
	}})
	mustKQ(t, b, "", "topics", "create", "t", "-p", "1", "-r", "1")

	res := kq(t, b, "a\nb\nc\nd\ne\n", "produce", "-t", "t", "--transactional-id", "cli-tx", "--transaction-size", "2")
	if res.Code != 0 || !strings.Contains(res.Stderr, "Committed 3 transactions (5 records)") {
		t.Fatalf("transactional produce: exit %d, stderr %q", res.Code, res.Stderr)
	}
	if got := readCommitted(t, b); got != "a\nb\nc\nd\ne\n" {
		t.Fatalf("read_committed after the commits: %q", got)
	}

	listed := mustKQ(t, b, "", "transactions", "list")
	if !strings.HasPrefix(listed, "TransactionalId") || !strings.Contains(listed, "cli-tx") {
		t.Fatalf("transactions list:\n%s", listed)
	}
	described := mustKQ(t, b, "", "transactions", "describe", "--transactional-id", "cli-tx")
	if !strings.Contains(described, "CompleteCommit") {
		t.Fatalf("transactions describe:\n%s", described)
	}
	if res := kq(t, b, "", "transactions", "describe", "--transactional-id", "nope"); res.Code != 3 {
		t.Fatalf("describe an unknown id: exit %d, stderr %q", res.Code, res.Stderr)
	}

	start := openTransaction(t, b)
	if got := readCommitted(t, b); got != "a\nb\nc\nd\ne\n" {
		t.Fatalf("read_committed with a transaction open: %q", got)
	}
	producers := mustKQ(t, b, "", "transactions", "describe-producers", "--topic", "t", "--partition", "0")
	if !strings.Contains(producers, "CurrentTransactionStartOffset") || !strings.Contains(producers, "\t"+start+" ") {
		t.Fatalf("describe-producers should show the open transaction at %s:\n%s", start, producers)
	}
	hanging := mustKQ(t, b, "", "transactions", "find-hanging", "--topic", "t", "--max-transaction-timeout", "1")
	if strings.Count(hanging, "\n") != 1 {
		t.Fatalf("a transaction open for seconds does not hang:\n%s", hanging)
	}
	mustKQ(t, b, "", "transactions", "abort", "--topic", "t", "--partition", "0", "--start-offset", start)
	producers = mustKQ(t, b, "", "transactions", "describe-producers", "--topic", "t", "--partition", "0", "-o", "json")
	if !strings.Contains(producers, `"current_transaction_start_offset": -1`) || strings.Contains(producers, `"current_transaction_start_offset": `+start) {
		t.Fatalf("after the abort no transaction should be open:\n%s", producers)
	}
	if res := kq(t, b, "", "transactions", "abort", "--topic", "t", "--partition", "0", "--start-offset", start); res.Code != 3 {
		t.Fatalf("aborting it again: exit %d, stderr %q", res.Code, res.Stderr)
	}
	mustKQ(t, b, "x\n", "produce", "-t", "t", "--transactional-id", "cli-tx")
	if got := readCommitted(t, b); got != "a\nb\nc\nd\ne\nx\n" {
		t.Fatalf("read_committed after the abort: %q", got)
	}
}

// TestTransactionalProduceAbortsOnAFailedRecord: a record that cannot be
// written aborts its transaction, so the records before it in the same
// transaction are never read committed, and kq produce fails.
func TestTransactionalProduceAbortsOnAFailedRecord(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Props: map[string]string{
		"offsets.topic.replication.factor":         "1",
		"transaction.state.log.replication.factor": "1",
		"transaction.state.log.min.isr":            "1",
	}})
	mustKQ(t, b, "", "topics", "create", "t", "-p", "1", "-r", "1")
	mustKQ(t, b, "a\n", "produce", "-t", "t", "--transactional-id", "tx")
	in := `{"topic":"t","partition":0,"value":"doomed"}` + "\n" + `{"topic":"t","partition":9,"value":"nowhere"}` + "\n"
	res := kq(t, b, in, "produce", "--input", "json", "--transactional-id", "tx")
	if res.Code == 0 || !strings.Contains(res.Stderr, "Committed 0 transactions (0 records); aborted the last one") {
		t.Fatalf("a failed record: exit %d, stderr %q", res.Code, res.Stderr)
	}
	mustKQ(t, b, "b\n", "produce", "-t", "t", "--transactional-id", "tx")
	if got := readCommitted(t, b); got != "a\nb\n" {
		t.Fatalf("read_committed: %q", got)
	}
	// Whether "doomed" reached the log before the abort depends on when the
	// client learnt that partition 9 does not exist: if it did, only
	// read_uncommitted sees it.
	if got := mustKQ(t, b, "", "consume", "t", "--from-beginning", "--exit-at-end"); got != "a\ndoomed\nb\n" && got != "a\nb\n" {
		t.Fatalf("read_uncommitted: %q, want a, b and maybe the aborted record", got)
	}
}

// readCommitted reads partition 0 of t to its last stable offset.
func readCommitted(t *testing.T, b *harness.Broker) string {
	t.Helper()
	return mustKQ(t, b, "", "consume", "t", "--from-beginning", "--exit-at-end", "--isolation-level", "read_committed")
}

// openTransaction leaves a transaction open on t-0 with one record, as a
// producer that died mid-transaction would, and returns its start offset.
func openTransaction(t *testing.T, b *harness.Broker) string {
	t.Helper()
	cl := b.Client(kgo.TransactionalID("stuck"), kgo.TransactionTimeout(time.Minute))
	t.Cleanup(cl.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := cl.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	rec := &kgo.Record{Topic: "t", Value: []byte("never")}
	if err := cl.ProduceSync(ctx, rec).FirstErr(); err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(rec.Offset, 10)
}
