package snapshot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/twmb/franz-go/pkg/kerr"
)

// ongoing is an open transaction of producer pid on orders-0 and -1,
// started age before t0, with a one minute timeout.
func ongoing(id string, pid int64, age time.Duration) admin.Transaction {
	return admin.Transaction{TransactionalID: id, State: "Ongoing", ProducerID: pid, ProducerEpoch: 2, TimeoutMs: 60000,
		StartTimestamp: t0.Add(-age).UnixMilli(),
		Partitions:     []admin.TopicPartitions{{Topic: "orders", Partitions: []int32{1, 0}}}}
}

func TestCollectTransactions(t *testing.T) {
	c := groupCluster(t)
	c.SetTransaction(ongoing("etl", 7, 10*time.Second))
	c.SetTransaction(ongoing("stuck", 8, 5*time.Minute))
	c.SetTransaction(admin.Transaction{TransactionalID: "idle", State: "CompleteCommit", ProducerID: 9, TimeoutMs: 60000,
		StartTimestamp: -1, Coordinator: 2})
	s := collectWith(t, c, nil, t0, Options{})
	if !s.TransactionsKnown || len(s.Transactions) != 3 || s.Err != nil {
		t.Fatalf("transactions %+v err %v", s.Transactions, s.Err)
	}
	etl, _ := s.Transaction("etl")
	want := []TopicPartition{{"orders", 0}, {"orders", 1}}
	if age, ok := etl.Age(s.At); !ok || age != 10*time.Second || etl.TimedOut(s.At) || !slices.Equal(etl.Partitions, want) ||
		etl.ProducerEpoch != 2 || etl.Timeout != time.Minute || etl.Coordinator != 1 {
		t.Errorf("etl %+v", etl)
	}
	if stuck, _ := s.Transaction("stuck"); !stuck.TimedOut(s.At) {
		t.Errorf("stuck, open 5m with a 1m timeout, is not timed out: %+v", stuck)
	}
	if idle, _ := s.Transaction("idle"); idle.Ongoing() || !idle.Start.IsZero() || idle.Coordinator != 2 {
		t.Errorf("idle %+v", idle)
	}
	if n := s.TimedOutTransactions(); n != 1 {
		t.Errorf("%d timed out, want 1", n)
	}
	if s := collectWith(t, struct{ Source }{c}, nil, t0, Options{}); s.TransactionsKnown {
		t.Error("a source without transactions knows them")
	}
}

func TestTransactionBudget(t *testing.T) {
	c := groupCluster(t)
	for i := range 10 {
		c.SetTransaction(ongoing(fmt.Sprintf("t%02d", i), int64(i), time.Second))
	}
	opts := Options{TransactionBudget: 3, FocusTransactions: []string{"t09"}}
	var s *Snapshot
	describedAt := map[string][]int{}
	for r := range 5 {
		before := c.Count("DescribeTransaction")
		s = collectWith(t, c, s, t0.Add(time.Duration(r)*time.Second), opts)
		if n := c.Count("DescribeTransaction") - before; n != 3 {
			t.Fatalf("refresh %d described %d ids, budget 3", r, n)
		}
		if len(s.Transactions) != 10 {
			t.Fatalf("refresh %d shows %d transactions", r, len(s.Transactions))
		}
		for _, tx := range s.Transactions {
			if !tx.Stale(s) {
				describedAt[tx.ID] = append(describedAt[tx.ID], r)
			}
		}
	}
	if !slices.Equal(describedAt["t09"], []int{0, 1, 2, 3, 4}) {
		t.Errorf("the focused id described at %v, want every refresh", describedAt["t09"])
	}
	for i := range 9 {
		if id := fmt.Sprintf("t%02d", i); len(describedAt[id]) == 0 {
			t.Errorf("%s never described in 5 refreshes of 2 turns each", id)
		}
	}
	for _, tx := range s.Transactions {
		if len(tx.Partitions) != 2 || tx.Start.IsZero() {
			t.Errorf("%s lost its description: %+v", tx.ID, tx)
		}
	}
	// A listing that changed (the transaction committed) is described
	// next, ahead of its turn.
	c.SetTransaction(admin.Transaction{TransactionalID: "t00", State: "CompleteCommit", ProducerID: 0, StartTimestamp: -1})
	s = collectWith(t, c, s, t0.Add(5*time.Second), opts)
	if t00, _ := s.Transaction("t00"); t00.Stale(s) || t00.State != "CompleteCommit" || !t00.Start.IsZero() {
		t.Errorf("t00 after its commit: %+v", t00)
	}
}

func TestTransactionFailures(t *testing.T) {
	boom := errors.New("boom")
	c := groupCluster(t)
	c.SetTransaction(ongoing("etl", 7, time.Second))
	first := collectWith(t, c, nil, t0, Options{})

	c.Fail("ListTransactions", boom)
	s := collectWith(t, c, first, t0.Add(time.Second), Options{})
	if !errors.Is(s.Err, boom) || len(s.Transactions) != 1 {
		t.Fatalf("listing failed: err %v transactions %+v", s.Err, s.Transactions)
	}
	c.Fail("ListTransactions", nil)

	// Brokers before Kafka 3.0 cannot list transactions: no failure, no
	// transactions known.
	c.Fail("ListTransactions", fmt.Errorf("list transactions: broker 1: %w", kerr.UnsupportedVersion))
	if s := collectWith(t, c, first, t0.Add(time.Second), Options{}); s.TransactionsKnown || s.Err != nil {
		t.Fatalf("an old cluster: known %v err %v", s.TransactionsKnown, s.Err)
	}
	c.Fail("ListTransactions", nil)

	c.Fail("DescribeTransactions", boom)
	s = collectWith(t, c, first, t0.Add(2*time.Second), Options{})
	etl, _ := s.Transaction("etl")
	if !errors.Is(s.Err, boom) || !errors.Is(etl.Err, boom) || len(etl.Partitions) != 2 || !etl.Stale(s) {
		t.Fatalf("the description failed: err %v transaction %+v", s.Err, etl)
	}
	c.Fail("DescribeTransactions", nil)

	// An id gone between the listing and its description is dropped
	// quietly: it expired.
	gone := expiring{c, "etl"}
	s = collectWith(t, gone, first, t0.Add(3*time.Second), Options{})
	if _, ok := s.Transaction("etl"); ok || s.Err != nil {
		t.Fatalf("an expired id: err %v transactions %+v", s.Err, s.Transactions)
	}
}

// expiring lists id but cannot describe it any more.
type expiring struct {
	*fakeCluster
	id string
}

func (e expiring) DescribeTransactions(_ context.Context, ids ...string) ([]admin.Transaction, error) {
	out := make([]admin.Transaction, len(ids))
	for i, id := range ids {
		out[i] = admin.Transaction{TransactionalID: id, StartTimestamp: -1, Err: admin.TransactionalIDNotFound(id)}
	}
	return out, nil
}

// The admin client is what kq tui polls: it must have what the snapshot
// looks for, or the view would quietly go without.
var (
	_ TransactionSource = (*admin.Client)(nil)
	_ LastStableSource  = (*admin.Client)(nil)
	_ LogEndSource      = (*admin.Client)(nil)
	_ GroupSource       = (*admin.Client)(nil)
)
