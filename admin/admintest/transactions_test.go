package admintest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kqhq/kq/admin"
)

func TestTransactionalProducerWritesMarkers(t *testing.T) {
	ctx := context.Background()
	c := NewCluster()
	if _, err := c.CreateTopic(ctx, admin.TopicSpec{Name: "t", Partitions: 1, ReplicationFactor: 1}); err != nil {
		t.Fatal(err)
	}
	p := c.NewProducer(admin.ProducerConfig{TransactionalID: "tx"})
	if err := p.CommitTransaction(ctx); err == nil {
		t.Fatal("committing without a transaction should fail")
	}
	for _, commit := range []bool{true, false} {
		if err := p.BeginTransaction(ctx); err != nil {
			t.Fatal(err)
		}
		p.Produce(ctx, admin.Record{Topic: "t", Partition: 0, Value: []byte("v")}, func(admin.Record, error) {})
		end := p.AbortTransaction
		if commit {
			end = p.CommitTransaction
		}
		if err := end(ctx); err != nil {
			t.Fatal(err)
		}
	}
	commits, aborts, records, open := p.Transactions()
	if commits != 1 || aborts != 1 || records != 1 || open {
		t.Errorf("commits %d aborts %d records %d open %v", commits, aborts, records, open)
	}
	recs := c.Records("t", 0)
	if len(recs) != 4 || !isMarker(recs[1]) || !isMarker(recs[3]) {
		t.Errorf("want record, marker, record, marker: %+v", recs)
	}
}

func TestLastStableOffsetsAndAbort(t *testing.T) {
	ctx := context.Background()
	c := NewCluster()
	if _, err := c.CreateTopic(ctx, admin.TopicSpec{Name: "t", Partitions: 2, ReplicationFactor: 1}); err != nil {
		t.Fatal(err)
	}
	c.AppendRecords("t", 0, 10)
	c.AppendRecords("t", 1, 4)
	c.SetProducers("t", 0, admin.ProducerState{ProducerID: 3, ProducerEpoch: 1, CurrentTransactionStartOffset: 6,
		LastTimestamp: time.Now().Add(-time.Hour).UnixMilli()})
	lso, err := c.LastStableOffsets(ctx, "t")
	if err != nil || lso["t"][0] != 6 || lso["t"][1] != 4 {
		t.Fatalf("LastStableOffsets = %v, %v", lso, err)
	}
	hanging, err := c.FindHangingTransactions(ctx, "t", -1, -1, 0)
	if err != nil || len(hanging) != 1 || hanging[0].StartOffset != 6 {
		t.Fatalf("FindHangingTransactions = %+v, %v", hanging, err)
	}
	if err := c.AbortTransaction(ctx, admin.AbortSpec{Topic: "t", Partition: 0, StartOffset: 6}); err != nil {
		t.Fatal(err)
	}
	if lso, _ := c.LastStableOffsets(ctx, "t"); lso["t"][0] != 11 {
		t.Errorf("after the abort (and its marker) LSO = %d, want 11", lso["t"][0])
	}
	if err := c.AbortTransaction(ctx, admin.AbortSpec{Topic: "t", Partition: 0, StartOffset: 6}); !errors.Is(err, admin.ErrNotFound) {
		t.Errorf("aborting again: %v", err)
	}
}
