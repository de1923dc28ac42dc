package tui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/tui/snapshot"
	"github.com/muesli/termenv"
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

func TestAbortTransaction(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.transactions()
	f.press("tab", "tab", "j", "a") // etl-orders, on orders-0 and -1
	d := f.m.dialog
	if d == nil || d.stage != stageConfirm || d.preview.table == nil || len(d.preview.table.Rows) != 2 {
		t.Fatalf("no preview: %+v", d)
	}
	if n := f.cluster.Count("DescribeProducers"); n != 1 {
		t.Errorf("%d DescribeProducers for one topic", n)
	}
	f.wantCalls() // nothing before the answer
	f.press("n")
	f.wantCalls()
	f.wantFlash("cancelled")

	f.press("a", "y")
	f.wantCalls("AbortTransaction orders-0 pid 4001 epoch 3 coordinator-epoch 0 start -1",
		"AbortTransaction orders-1 pid 4001 epoch 3 coordinator-epoch 0 start -1")
	f.wantFlash("aborted the transaction of etl-orders on 2 partitions")
	// The refresh that followed shows the markers: the LSO caught up
	// with the high watermark (a marker takes an offset).
	orders, _ := f.m.snap.Topic("orders")
	for _, p := range orders.Partitions[:2] {
		if p.HeldBack() != 0 || p.LastStable != p.HighWatermark {
			t.Errorf("orders-%d: LSO %d, HW %d after the abort", p.ID, p.LastStable, p.HighWatermark)
		}
	}

	// Aborted already: nothing left to abort is said, nothing sent.
	f.cluster.ForgetCalls()
	f.press("a")
	if d := f.m.dialog; d == nil || d.stage != stageRefused || !strings.Contains(d.problem, "no open transaction of producer 4001") {
		t.Fatalf("abort of an aborted transaction: %+v", d)
	}
	f.press("x")
	f.wantCalls()

	// The palette names the id; the coordinator epoch of the producer's
	// last marker is sent.
	f.command("abort stuck-loader")
	f.press("y")
	f.wantCalls("AbortTransaction orders-3 pid 4003 epoch 7 coordinator-epoch 2 start -1")
}

func TestAbortLeavesOutWhatItCannot(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.transactions()
	f.cluster.SetProducers("orders", 1) // its producer gone from orders-1
	f.press("tab", "tab", "j", "a")
	d := f.m.dialog
	if d == nil || d.stage != stageConfirm || len(d.preview.table.Rows) != 1 ||
		!strings.Contains(f.m.View(), "left out: orders-1: no open transaction of producer 4001") {
		t.Fatalf("preview %+v\n%s", d, f.m.View())
	}
	f.cluster.Fail("AbortTransaction", errors.New("NOT_LEADER_OR_FOLLOWER"))
	f.press("y")
	if d := f.m.dialog; d == nil || d.stage != stageRefused || !strings.Contains(d.problem, "orders-0: NOT_LEADER_OR_FOLLOWER") {
		t.Fatalf("dialog after the failed abort: %+v", d)
	}
	f.wantCalls("AbortTransaction orders-0 pid 4001 epoch 3 coordinator-epoch 0 start -1")
}

func TestAbortRefusals(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.transactions()
	f.press("a") // Topics: no transaction there
	f.wantFlash("select a transaction first")
	f.press("tab", "tab", "a") // billing-tx: committed
	if d := f.m.dialog; d == nil || d.stage != stageRefused || !strings.Contains(d.problem, "CompleteCommit") {
		t.Fatalf("abort of a committed transaction: %+v", d)
	}
	f.press("x")
	f.command("abort nope")
	f.wantFlash(`no transactional id "nope"`)
	if n := f.cluster.Count("DescribeProducers"); n != 0 {
		t.Errorf("%d DescribeProducers for refused aborts", n)
	}
	f.wantCalls()

	f.readOnly()
	f.transactions()
	f.press("tab", "tab", "j", "a")
	f.wantFlash("read-only")
	f.command("abort etl-orders")
	f.wantFlash("read-only")
	if f.m.dialog != nil || strings.Contains(f.m.View(), "abort") {
		t.Fatalf("an abort shown under --read-only:\n%s", f.m.View())
	}
	f.wantCalls()
}

func TestTransactionsCommand(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.transactions()
	f.command("txns stuck-loader")
	if f.page() != "Transactions" || f.selected() != "stuck-loader" {
		t.Fatalf("on %s row %q", f.page(), f.selected())
	}
	// The transaction on screen is described on every refresh.
	if opts := f.m.collectOptions(); len(opts.FocusTransactions) != 1 || opts.FocusTransactions[0] != "stuck-loader" {
		t.Errorf("collect options %+v", opts)
	}
	f.command("transactions nope")
	f.wantFlash(`no transactional id "nope"`)
	f.press("/")
	f.typeText("payments")
	f.press("enter")
	if f.selected() != "payments-tx" {
		t.Errorf("filter on a topic selects %q", f.selected())
	}
}

func TestTransactionsUnsupported(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.remodel(func(o *Options) { o.Source = struct{ snapshot.Source }{f.cluster} })
	f.busy()
	f.press("tab", "tab")
	if v := f.m.View(); !strings.Contains(v, "cannot list transactions") || strings.Contains(v, "Transactions 0") {
		t.Fatalf("view:\n%s", v)
	}
	f.press("a")
	f.wantFlash("select a transaction first")
}

func TestColourMarksTimedOutTransactionsAndHeldBackLSO(t *testing.T) {
	f := newFixture(t, 80, 24)
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.ANSI)
	f.remodel(func(o *Options) { o.Renderer = r })
	f.transactions()
	f.keys("tab", "tab")
	yellow := "\x1b[1;33m"
	view := f.m.View()
	for _, want := range []string{yellow + "stuck-loader", yellow + "Ongoing", yellow + "⚠ 2h13m"} {
		if !strings.Contains(view, want) {
			t.Errorf("transactions view lacks %q:\n%q", want, view)
		}
	}
	if strings.Contains(view, yellow+"etl-orders") {
		t.Errorf("etl-orders, within its timeout, marked:\n%q", view)
	}
	f.command("partitions orders")
	view = f.m.View()
	// orders-0 under the cursor: its yellow is on the selection's background.
	for _, want := range []string{"\x1b[1;33;40m37,600", yellow + "1,490"} {
		if !strings.Contains(view, want) {
			t.Errorf("partitions view lacks %q:\n%q", want, view)
		}
	}
}

func TestAbortWaitsForADescription(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.transactions()
	f.cluster.Fail("DescribeTransactions", errors.New("COORDINATOR_LOAD_IN_PROGRESS"))
	f.cluster.SetTransaction(admin.Transaction{TransactionalID: "new-etl", State: "Ongoing", ProducerID: 4010,
		TimeoutMs: 60000, StartTimestamp: t0.UnixMilli(), Partitions: []admin.TopicPartitions{{Topic: "orders", Partitions: []int32{2}}}})
	f.refreshAt(6 * time.Second)
	f.command("abort new-etl")
	f.wantFlash("new-etl has not been described yet")
	if f.m.dialog != nil || f.cluster.Count("DescribeProducers") != 0 {
		t.Fatalf("dialog %+v", f.m.dialog)
	}
}
