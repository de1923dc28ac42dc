package admin

import (
	"errors"
	"reflect"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
)

const minute = int64(60_000)

func TestOpenTransactions(t *testing.T) {
	now := 100 * minute
	pps := []PartitionProducers{{Topic: "t", Partition: 0, Broker: 1, Producers: []ProducerState{
		{ProducerID: 1, ProducerEpoch: 2, LastTimestamp: now - 20*minute, CoordinatorEpoch: 3, CurrentTransactionStartOffset: 40},
		{ProducerID: 2, LastTimestamp: now - 20*minute, CurrentTransactionStartOffset: -1}, // no open transaction
		{ProducerID: 3, LastTimestamp: now - 15*minute, CurrentTransactionStartOffset: 7},  // not older than the timeout
		{ProducerID: 4, LastTimestamp: now - 15*minute - 1, CoordinatorEpoch: -1, CurrentTransactionStartOffset: 0},
	}}}
	got, err := OpenTransactions(pps, now, 15*minute)
	if err != nil {
		t.Fatal(err)
	}
	want := []HangingTransaction{
		{Topic: "t", Partition: 0, ProducerID: 1, ProducerEpoch: 2, CoordinatorEpoch: 3, StartOffset: 40, LastTimestamp: now - 20*minute, DurationMs: 20 * minute},
		{Topic: "t", Partition: 0, ProducerID: 4, CoordinatorEpoch: -1, StartOffset: 0, LastTimestamp: now - 15*minute - 1, DurationMs: 15*minute + 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("OpenTransactions =\n%+v\nwant\n%+v", got, want)
	}
	pps[0].Err = kerr.NotLeaderForPartition
	if _, err := OpenTransactions(pps, now, 15*minute); !errors.Is(err, kerr.NotLeaderForPartition) {
		t.Errorf("a partition error: got %v", err)
	}
}

func TestFilterHanging(t *testing.T) {
	open := []HangingTransaction{
		{Topic: "b", Partition: 1, ProducerID: 10}, // its id's transaction has the partition: not hanging
		{Topic: "b", Partition: 2, ProducerID: 10}, // the transaction does not have it: hanging
		{Topic: "a", Partition: 0, ProducerID: 20}, // no transactional id lists the producer: hanging
		{Topic: "a", Partition: 1, ProducerID: 30}, // the id is unknown to its coordinator: hanging
	}
	listed := []TransactionListing{
		{TransactionalID: "ten", ProducerID: 10, State: "Ongoing"},
		{TransactionalID: "thirty", ProducerID: 30, State: "Ongoing"},
	}
	described := []Transaction{
		{TransactionalID: "ten", ProducerID: 10, State: "Ongoing", Partitions: []TopicPartitions{{Topic: "b", Partitions: []int32{0, 1}}}},
		{TransactionalID: "thirty", Err: TransactionalIDNotFound("thirty")},
	}
	got, err := FilterHanging(open, listed, described)
	if err != nil {
		t.Fatal(err)
	}
	want := []HangingTransaction{open[2], open[3], open[1]} // sorted by topic and partition
	if !reflect.DeepEqual(got, want) {
		t.Errorf("FilterHanging =\n%+v\nwant\n%+v", got, want)
	}
	described[1].Err = kerr.CoordinatorNotAvailable
	if _, err := FilterHanging(open, listed, described); !errors.Is(err, kerr.CoordinatorNotAvailable) {
		t.Errorf("a describe error other than not found: got %v", err)
	}
}

func TestReplicasOn(t *testing.T) {
	ts := []Topic{
		{Name: "a", Partitions: []Partition{{ID: 0, Replicas: []int32{1, 2}}, {ID: 1, Replicas: []int32{2, 3}}}},
		{Name: "b", Partitions: []Partition{{ID: 0, Replicas: []int32{3}}}},
	}
	tests := []struct {
		broker int32
		want   []TopicPartitions
	}{
		{-1, []TopicPartitions{{Topic: "a", Partitions: []int32{0, 1}}, {Topic: "b", Partitions: []int32{0}}}},
		{1, []TopicPartitions{{Topic: "a", Partitions: []int32{0}}}},
		{3, []TopicPartitions{{Topic: "a", Partitions: []int32{1}}, {Topic: "b", Partitions: []int32{0}}}},
		{9, nil},
	}
	for _, tt := range tests {
		got, err := replicasOn(ts, tt.broker)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("replicasOn(broker %d) = %+v, %v; want %+v", tt.broker, got, err, tt.want)
		}
	}
}

func TestTransactionalIDNotFound(t *testing.T) {
	err := TransactionalIDNotFound("x")
	if !errors.Is(err, ErrNotFound) || !errors.Is(err, kerr.TransactionalIDNotFound) || Classify(err) != ClassNotFound {
		t.Errorf("%v should match ErrNotFound and TRANSACTIONAL_ID_NOT_FOUND", err)
	}
	if err := transactionError("x", kerr.TransactionalIDNotFound); !errors.Is(err, ErrNotFound) {
		t.Errorf("transactionError: %v should match ErrNotFound", err)
	}
}
