package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/tui/messages"
)

// fakeRecords is the part of the fake cluster that holds records.
type fakeRecords interface {
	ListOffsets(ctx context.Context, timestamp int64, topics ...string) ([]admin.PartitionOffset, error)
	NewConsumer(conf admin.ConsumerConfig) *admintest.Consumer
}

// clusterMessages reads the fake cluster's records for the Messages view.
type clusterMessages struct{ fakeRecords }

func (c clusterMessages) NewConsumer(conf admin.ConsumerConfig) (messages.Consumer, error) {
	return c.fakeRecords.NewConsumer(conf), nil
}

// runNow runs cmd and feeds back what it returns, batches included, but
// not the commands those return: polls would wait for records.
func (f *fixture) runNow(cmd tea.Cmd) {
	f.t.Helper()
	if cmd == nil {
		return
	}
	msg := cmd()
	if batch, ok := msg.(tea.BatchMsg); ok {
		for _, c := range batch {
			f.runNow(c)
		}
		return
	}
	if msg != nil {
		f.send(msg)
	}
}

func TestMessagesOpensAndReturns(t *testing.T) {
	tests := []struct {
		name      string
		nav       func(f *fixture) // to the row
		open      string           // the key that opens
		wantTitle string
		wantStart string
	}{
		{"enter on a partition", func(f *fixture) { f.keys("j", "j", "enter", "j") }, "enter",
			"orders-1 › messages", "newest 100 ·"},
		{"m on a topic", func(f *fixture) { f.keys("j", "j") }, "m", "orders (all partitions) › messages", "newest 100 per partition"},
		{":messages with a start", func(f *fixture) { f.keys(":"); f.typeText("messages orders 0 oldest") }, "enter",
			"orders-0 › messages", "from oldest"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, 80, 24)
			f.m.opts.Messages = clusterMessages{f.cluster}
			f.busy()
			tt.nav(f)
			before := f.page()
			f.runNow(f.send(keyMsg(tt.open)))
			view := f.m.View()
			if f.m.msgs == nil || !strings.Contains(view, tt.wantTitle) || !strings.Contains(view, tt.wantStart) {
				t.Fatalf("not the Messages view of %q:\n%s", tt.wantTitle, view)
			}
			checkFrame(t, view, 80, 24)
			f.refreshAt(6 * time.Second) // refreshes go on underneath
			if !f.m.snap.At.Equal(t0.Add(6 * time.Second)) {
				t.Fatal("the refresh did not reach the model under the Messages view")
			}
			f.runNow(f.send(keyMsg("esc")))
			if f.m.msgs != nil || f.page() != before {
				t.Fatalf("esc left %v on %q, want back on %q", f.m.msgs != nil, f.page(), before)
			}
		})
	}
}

func TestMessagesRefusals(t *testing.T) {
	tests := []struct {
		name      string
		messages  bool
		keys      []string
		command   string
		wantFlash string
	}{
		{"no consumer given", false, []string{"m"}, "", "needs a consumer"},
		{"nothing selected", true, []string{"tab", "m"}, "", "select a topic or a partition"},
		{"no such topic", true, nil, "messages nope", `no topic "nope"`},
		{"no topic named", true, nil, "messages", "usage: :messages TOPIC"},
		{"bad start", true, nil, "messages orders 0 sometime", "unknown start"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, 80, 24)
			if tt.messages {
				f.m.opts.Messages = clusterMessages{f.cluster}
			}
			f.busy()
			f.keys(tt.keys...)
			if tt.command != "" {
				f.keys(":")
				f.typeText(tt.command)
				f.keys("enter")
			}
			if f.m.msgs != nil || !strings.Contains(f.m.flash.text, tt.wantFlash) {
				t.Fatalf("view open %v, flash %q; want %q", f.m.msgs != nil, f.m.flash.text, tt.wantFlash)
			}
		})
	}
}
