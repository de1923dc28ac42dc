package tui

import (
	"testing"
	"time"

	"github.com/kqhq/kq/admin"
)

// transactions is busy with four transactional ids, refreshed at t0+4s:
// etl-orders (Ongoing 34s of 1m, producer 4001 on orders-0 and -1),
// payments-tx (Ongoing 3m of 15m on payments-2), stuck-loader (Ongoing
// 2h13m, past its 1m timeout, on orders-3) and billing-tx (committed, on
// broker 2). Each open one's producer holds its partitions' LSO back.
func (f *fixture) transactions() {
	f.busy()
	c := f.cluster
	tps := func(topic string, ps ...int32) []admin.TopicPartitions {
		return []admin.TopicPartitions{{Topic: topic, Partitions: ps}}
	}
	c.SetTransaction(admin.Transaction{TransactionalID: "etl-orders", State: "Ongoing", ProducerID: 4001, ProducerEpoch: 3,
		TimeoutMs: 60000, StartTimestamp: t0.Add(-30 * time.Second).UnixMilli(), Partitions: tps("orders", 0, 1)})
	c.SetTransaction(admin.Transaction{TransactionalID: "payments-tx", State: "Ongoing", ProducerID: 4002,
		TimeoutMs: 900000, StartTimestamp: t0.Add(-3*time.Minute + 4*time.Second).UnixMilli(), Partitions: tps("payments", 2)})
	c.SetTransaction(admin.Transaction{TransactionalID: "stuck-loader", State: "Ongoing", ProducerID: 4003, ProducerEpoch: 7,
		TimeoutMs: 60000, StartTimestamp: t0.Add(-2*time.Hour - 13*time.Minute).UnixMilli(), Partitions: tps("orders", 3)})
	c.SetTransaction(admin.Transaction{TransactionalID: "billing-tx", State: "CompleteCommit", ProducerID: 4004, ProducerEpoch: 12,
		TimeoutMs: 60000, StartTimestamp: -1, Coordinator: 2})
	open := func(pid int64, epoch int16, coordEpoch int32, start int64) admin.ProducerState {
		return admin.ProducerState{ProducerID: pid, ProducerEpoch: epoch, CoordinatorEpoch: coordEpoch, CurrentTransactionStartOffset: start}
	}
	c.SetProducers("orders", 0, open(4001, 3, -1, 37600), admin.ProducerState{ProducerID: 17, CurrentTransactionStartOffset: -1})
	c.SetProducers("orders", 1, open(4001, 3, -1, 1490))
	c.SetProducers("orders", 3, open(4003, 7, 2, 1))
	c.SetProducers("payments", 2, open(4002, 0, 0, 25))
	f.refreshAt(4 * time.Second)
	f.now = t0.Add(5 * time.Second)
}

func TestTransactionViews(t *testing.T) {
	tests := []struct {
		name          string
		width, height int
		stage         func(f *fixture)
	}{
		{"transactions_empty", 80, 24, func(f *fixture) { f.busy(); f.keys("tab", "tab") }},
		{"transactions", 80, 24, func(f *fixture) { f.transactions(); f.keys("tab", "tab") }},
		{"transactions_wide", 140, 30, func(f *fixture) { f.transactions(); f.keys("tab", "tab") }},
		{"transactions_timed_out", 80, 24, func(f *fixture) { f.transactions(); f.keys("tab", "tab", "G") }},
		{"transactions_read_only", 80, 24, func(f *fixture) { f.readOnly(); f.transactions(); f.press("tab", "tab", "j", "a") }},
		{"partitions_open_transaction", 80, 24, func(f *fixture) { f.transactions(); f.keys("j", "j", "enter") }},
		{"partitions_open_transaction_wide", 140, 30, func(f *fixture) { f.transactions(); f.keys("j", "j", "enter") }},
		{"abort_preview", 80, 24, func(f *fixture) { f.transactions(); f.press("tab", "tab", "j", "a") }},
		{"abort_preview_wide", 140, 30, func(f *fixture) { f.transactions(); f.command("abort etl-orders") }},
		{"abort_refused", 80, 24, func(f *fixture) { f.transactions(); f.press("tab", "tab", "a") }},
		{"abort_done", 80, 24, func(f *fixture) { f.transactions(); f.press("tab", "tab", "G", "a", "y") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.width, tt.height)
			tt.stage(f)
			view := f.m.View()
			checkFrame(t, view, tt.width, tt.height)
			golden(t, tt.name, view)
		})
	}
}
