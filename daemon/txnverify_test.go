package daemon

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/daemon/internal/txn"
)

// fakeLocalTxns answers verification for this broker's coordinator.
type fakeLocalTxns struct {
	answers map[txn.TopicPartition]error
}

func (fakeLocalTxns) PartitionFor(string) int32 { return 0 }

func (f fakeLocalTxns) VerifyPartitions(_ string, _ int64, _ int16, parts []txn.TopicPartition) map[txn.TopicPartition]error {
	out := map[txn.TopicPartition]error{}
	for _, tp := range parts {
		out[tp] = f.answers[tp]
	}
	return out
}

func txnStateCache(t *testing.T, leader int32) *metadatacache.Cache {
	t.Helper()
	c := metadatacache.New("c")
	err := c.Apply(metadatacache.Update{ControllerID: 1, ControllerEpoch: 1,
		Brokers: []metadatacache.Broker{{ID: 1}, {ID: 2}},
		Topics: []metadatacache.TopicUpdate{{Name: txn.TopicName, ID: [16]byte{1},
			Partitions: []metadatacache.Partition{{Partition: 0, Leader: leader, Replicas: []int32{1, 2}, ISR: []int32{1, 2}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTxnVerifierPassesTheLocalCoordinatorsAnswers(t *testing.T) {
	v := &txnVerifier{self: 1, cache: txnStateCache(t, 1), timeout: time.Second, txns: fakeLocalTxns{answers: map[txn.TopicPartition]error{
		tpA0: nil, tpA1: kerr.TransactionAbortable, tpB0: kerr.ProducerFenced,
	}}}
	got, err := v.VerifyTxnPartitions(context.Background(), "t", 1, 0, []txn.TopicPartition{tpA0, tpA1, tpB0})
	if err != nil {
		t.Fatal(err)
	}
	want := map[txn.TopicPartition]error{tpA0: nil, tpA1: kerr.TransactionAbortable, tpB0: kerr.ProducerFenced}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for tp, w := range want {
		if !errors.Is(got[tp], w) {
			t.Errorf("%v: %v, want %v", tp, got[tp], w)
		}
	}
}

func TestTxnVerifierAsksTheRemoteCoordinator(t *testing.T) {
	var asked *kmsg.AddPartitionsToTxnRequest
	send := func(_ context.Context, broker int32, req kmsg.Request) (kmsg.Response, error) {
		if broker != 2 {
			t.Errorf("asked broker %d, want the coordinator 2", broker)
		}
		asked = req.(*kmsg.AddPartitionsToTxnRequest)
		resp := kmsg.NewPtrAddPartitionsToTxnResponse()
		tr := kmsg.NewAddPartitionsToTxnResponseTransaction()
		tr.TransactionalID = "t"
		rt := kmsg.NewAddPartitionsToTxnResponseTransactionTopic()
		rt.Topic = "a"
		rt.Partitions = []kmsg.AddPartitionsToTxnResponseTransactionTopicPartition{{Partition: 0}}
		tr.Topics = append(tr.Topics, rt)
		resp.Transactions = append(resp.Transactions, tr)
		return resp, nil
	}
	v := &txnVerifier{self: 1, cache: txnStateCache(t, 2), txns: fakeLocalTxns{}, send: send, timeout: time.Second}
	got, err := v.VerifyTxnPartitions(context.Background(), "t", 9, 4, []txn.TopicPartition{tpA0, tpB0})
	if err != nil {
		t.Fatal(err)
	}
	if asked == nil || asked.Version < 4 || len(asked.Transactions) != 1 || !asked.Transactions[0].VerifyOnly ||
		asked.Transactions[0].ProducerID != 9 || asked.Transactions[0].ProducerEpoch != 4 {
		t.Fatalf("request %+v, want a v4+ verify-only request for producer 9 epoch 4", asked)
	}
	if got[tpA0] != nil || !errors.Is(got[tpB0], kerr.TransactionAbortable) {
		t.Errorf("got %v: a-0 verified, b-0 left out of the answer must fail", got)
	}
}

func TestTxnVerifierWithoutCoordinator(t *testing.T) {
	for _, tc := range []struct {
		name string
		want error
		v    *txnVerifier
	}{
		{"no __transaction_state leader", kerr.CoordinatorNotAvailable, &txnVerifier{self: 1, cache: txnStateCache(t, -1), txns: fakeLocalTxns{}, timeout: time.Second}},
		{"coordinator unreachable", kerr.NetworkException, &txnVerifier{self: 1, cache: txnStateCache(t, 2), txns: fakeLocalTxns{}, timeout: time.Second,
			send: func(context.Context, int32, kmsg.Request) (kmsg.Response, error) {
				return nil, errors.New("connection refused")
			}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.v.VerifyTxnPartitions(context.Background(), "t", 1, 0, []txn.TopicPartition{tpA0})
			if err != nil || !errors.Is(got[tpA0], tc.want) {
				t.Errorf("got %v, %v; want %v (which produce answers NOT_ENOUGH_REPLICAS)", got, err, tc.want)
			}
		})
	}
}
