package tui

import (
	"context"
	"testing"
	"time"

	"github.com/kqhq/kq/admin"
)

// longNames adds a topic, a group and a transactional id with names as
// long as real ones get, so narrow terminals have to choose what to cut.
func (f *fixture) longNames() {
	f.t.Helper()
	const topic = "payments.eu-west-1.settlement-events"
	if _, err := f.cluster.CreateTopic(context.Background(), admin.TopicSpec{Name: topic, Partitions: 12, ReplicationFactor: 3}); err != nil {
		f.t.Fatal(err)
	}
	f.produce(topic, 0, 123456)
	f.cluster.Commit("settlement-reconciliation-service", topic, 0, 100000)
	f.cluster.SetTransaction(admin.Transaction{TransactionalID: "settlement-writer-eu-west-1-0", State: "Ongoing", ProducerID: 4100,
		TimeoutMs: 60000, StartTimestamp: t0.Add(-20 * time.Second).UnixMilli(),
		Partitions: []admin.TopicPartitions{{Topic: topic, Partitions: []int32{0}}}})
	f.refreshAt(4 * time.Second)
	f.now = t0.Add(5 * time.Second)
}

// TestNarrowTerminalsKeepNames: at 60x15 the names (a topic's, a group's,
// a transactional id's, the path in the tabs line) stay readable and
// optional numeric columns go first; the footer keeps ? and q.
func TestNarrowTerminalsKeepNames(t *testing.T) {
	tests := []struct {
		name  string
		stage func(f *fixture)
	}{
		{"narrow_topics", func(f *fixture) {}},
		{"narrow_partitions", func(f *fixture) { f.command("partitions payments.eu-west-1.settlement-events") }},
		{"narrow_groups", func(f *fixture) { f.keys("tab", "G") }},
		{"narrow_group_lag", func(f *fixture) { f.command("lag settlement-reconciliation-service") }},
		{"narrow_transactions", func(f *fixture) { f.keys("shift+tab", "shift+tab", "G") }},
	}
	for _, tt := range tests {
		for _, size := range []struct{ w, h int }{{60, 15}, {80, 24}} {
			name := tt.name
			if size.w == 60 {
				name += "_60x15"
			}
			t.Run(name, func(t *testing.T) {
				f := newFixture(t, size.w, size.h)
				f.busy()
				f.longNames()
				tt.stage(f)
				view := f.m.View()
				checkFrame(t, view, size.w, size.h)
				golden(t, name, view)
			})
		}
	}
}

// TestNewViewsAt60x15: the views and dialogs of issue 19's additions on
// the smallest terminal the issue names, each golden checked by eye.
func TestNewViewsAt60x15(t *testing.T) {
	tests := []struct {
		name  string
		stage func(f *fixture)
	}{
		{"acls_60x15", func(f *fixture) { f.acls(); f.command("acls") }},
		{"acls_principal_60x15", func(f *fixture) { f.acls(); f.command("acls alice") }},
		{"ctx_switched_60x15", func(f *fixture) {
			f.twoClusters()
			f.busy()
			f.command("partitions orders")
			f.ctx("west")
			f.refreshAt(8 * time.Second)
		}},
		{"topics_sorted_60x15", func(f *fixture) { f.keys("I") }},
		{"delete_group_confirm_60x15", func(f *fixture) { f.press("tab", "ctrl+d") }},
		{"delete_offsets_preview_60x15", func(f *fixture) { f.replay(); f.press("enter", "x") }},
		{"help_60x15", func(f *fixture) { f.keys("?") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, 60, 15)
			if tt.name != "ctx_switched_60x15" && tt.name != "delete_offsets_preview_60x15" {
				f.busy()
			}
			tt.stage(f)
			view := f.m.View()
			checkFrame(t, view, 60, 15)
			golden(t, tt.name, view)
		})
	}
}
