package tui

import (
	"errors"
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/tui/pages"
)

// press types keys and lets the dialog's plan and action run, as the
// program would: each is run when the model waits for it, then the
// refresh that follows an action.
func (f *fixture) press(keys ...string) {
	f.t.Helper()
	for _, k := range keys {
		f.settle(f.send(keyMsg(k)))
	}
}

// command runs a palette command.
func (f *fixture) command(line string) {
	f.t.Helper()
	f.keys(":")
	f.typeText(line)
	f.press("enter")
}

// settle runs the command the model returned when it is the dialog's plan
// or action (never a cursor blink or a tick, which would wait).
func (f *fixture) settle(cmd tea.Cmd) {
	f.t.Helper()
	for cmd != nil {
		d := f.m.dialog
		if d == nil || d.stage != stagePlanning && d.stage != stageRunning {
			return
		}
		msg := cmd()
		cmd = f.send(msg)
		if _, done := msg.(actionDoneMsg); done {
			if cmd != nil && f.m.conn.fetching {
				f.send(cmd()) // the refresh that shows the change
			}
			return
		}
	}
}

func (f *fixture) wantCalls(want ...string) {
	f.t.Helper()
	if got := f.cluster.Calls(); !slices.Equal(got, want) {
		f.t.Fatalf("admin calls %q, want %q", got, want)
	}
}

func (f *fixture) wantFlash(substr string) {
	f.t.Helper()
	if !strings.Contains(f.m.flash.text, substr) {
		f.t.Fatalf("flash %q, want %q", f.m.flash.text, substr)
	}
}

func TestCreateTopic(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.busy()
	f.press("c")
	f.typeText("orders")
	f.press("enter") // exists: asked again
	if f.m.dialog.stage != stageAsk || !strings.Contains(f.m.dialog.problem, "already exists") {
		t.Fatalf("dialog %+v", f.m.dialog)
	}
	f.press("backspace", "backspace", "backspace", "backspace", "backspace", "backspace")
	f.typeText("clicks")
	f.press("enter")
	f.typeText("0")
	f.press("enter", "backspace") // 0 partitions: asked again
	f.typeText("12")
	f.press("enter", "enter", "enter") // the broker's default replication factor, no configs
	if f.m.dialog.stage != stageConfirm {
		t.Fatalf("dialog %+v", f.m.dialog)
	}
	f.wantCalls() // nothing before the confirmation
	f.press("y")
	f.wantCalls("CreateTopic clicks 12 -1")
	f.wantFlash("created topic clicks")
	if _, ok := f.m.snap.Topic("clicks"); !ok || f.m.dialog != nil {
		t.Fatal("the view was not refreshed with the new topic")
	}
}

func TestDeleteTopicWantsItsNameTyped(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.busy()
	f.press("G", "ctrl+d") // payments
	f.typeText("pay")
	f.press("enter")
	f.wantCalls()
	f.wantFlash("not confirmed")
	f.press("ctrl+d")
	f.typeText("payments")
	f.press("enter")
	f.wantCalls("DeleteTopics payments")
	if _, ok := f.m.snap.Topic("payments"); ok {
		t.Fatal("payments still shown")
	}
	// Internal topics are refused before any dialog.
	f.press("g", "ctrl+d")
	if f.m.dialog != nil || !strings.Contains(f.m.flash.text, "internal topic") {
		t.Fatalf("deleting __consumer_offsets: dialog %+v flash %q", f.m.dialog, f.m.flash.text)
	}
}

func TestAddPartitions(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.busy()
	f.press("j", "j", "+") // orders, 6 partitions
	f.typeText("4")
	f.press("enter")
	if f.m.dialog.stage != stageAsk || !strings.Contains(f.m.dialog.problem, "above the 6") {
		t.Fatalf("4 of 6 accepted: %+v", f.m.dialog)
	}
	f.press("backspace")
	f.typeText("8")
	f.press("enter", "n") // anything but y is no
	f.wantCalls()
	f.wantFlash("cancelled")
	f.command("add-partitions orders 8") // the palette answers the prompt
	if f.m.dialog.stage != stageConfirm {
		t.Fatalf("dialog %+v", f.m.dialog)
	}
	f.press("y")
	f.wantCalls("AddPartitions orders 8")
	if o, _ := f.m.snap.Topic("orders"); len(o.Partitions) != 8 {
		t.Fatalf("orders has %d partitions on screen", len(o.Partitions))
	}
}

func TestResetOffsets(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.busy()
	f.cluster.Commit("replay", "orders", 0, 20400)
	f.cluster.Commit("replay", "orders", 1, 1000)
	f.refreshAt(4 * f.m.opts.Refresh)
	f.press("tab", "G", "o") // reporting: Stable, refused
	if f.m.dialog == nil || f.m.dialog.stage != stageRefused || !strings.Contains(f.m.dialog.problem, "inactive") {
		t.Fatalf("reset of a Stable group: %+v", f.m.dialog)
	}
	f.press("x")      // any key closes
	f.press("k", "o") // replay: Empty
	f.typeText("-100")
	f.press("enter", "enter") // the committed partitions
	d := f.m.dialog
	if d.stage != stageConfirm || d.preview.table == nil || len(d.preview.table.Rows) != 2 {
		t.Fatalf("no preview: %+v", d)
	}
	f.wantCalls() // a dry run first
	f.press("y")
	f.wantCalls("CommitGroupOffsets replay orders-0=20300 orders-1=900")
	f.wantFlash("reset 2 offsets of group replay")

	// The palette names the group and the target at once.
	f.command("reset-offsets replay earliest")
	f.press("y")
	f.wantCalls("CommitGroupOffsets replay orders-0=20300 orders-1=900", "CommitGroupOffsets replay orders-0=200 orders-1=0")
}

func TestElectLeaders(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.busy()
	f.press("j", "j", "e") // orders: every leader preferred
	if f.m.dialog != nil || !strings.Contains(f.m.flash.text, "nothing to elect") {
		t.Fatalf("dialog %+v flash %q", f.m.dialog, f.m.flash.text)
	}
	f.cluster.SetISR("orders", 1, 3, 2) // led by 3, preferred 2
	f.refreshAt(4 * f.m.opts.Refresh)
	f.press("e", "y")
	f.wantCalls("ElectLeaders PREFERRED orders-1")
	f.wantFlash("elected the preferred leader of 1 partition of orders")
	if o, _ := f.m.snap.Topic("orders"); o.Partitions[1].Leader != 2 {
		t.Fatalf("orders-1 led by %d", o.Partitions[1].Leader)
	}
}

func TestEscCancelsAndALatePlanIsDropped(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.busy()
	f.cluster.Commit("replay", "orders", 0, 20400)
	f.refreshAt(4 * f.m.opts.Refresh)
	f.keys("tab", "j", "j", "o") // replay
	f.typeText("latest")
	planCmd := f.send(keyMsg("enter"))
	f.keys("esc")
	if f.m.dialog != nil {
		t.Fatal("esc left the dialog open")
	}
	f.send(planCmd()) // the plan arrives after the cancel
	if f.m.dialog != nil {
		t.Fatal("a cancelled plan reopened its dialog")
	}
	f.wantCalls()
}

func TestReadOnlyRefusesEveryAction(t *testing.T) {
	f := newFixture(t, 80, 24)
	m, err := New(Options{Source: f.cluster, Renderer: plainRenderer(), Now: f.clock, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	f.m = m
	f.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	f.busy()
	for _, keys := range [][]string{{"c"}, {"j", "j", "+"}, {"ctrl+d"}, {"e"}, {"tab", "o"}} {
		f.press(keys...)
		if f.m.dialog != nil || !strings.Contains(f.m.flash.text, "read-only") {
			t.Fatalf("%v under --read-only: dialog %+v flash %q", keys, f.m.dialog, f.m.flash.text)
		}
	}
	for _, line := range []string{"create-topic x 1 1", "delete orders", "add-partitions orders 9", "elect orders", "reset-offsets audit-sink earliest"} {
		f.command(line)
		if f.m.dialog != nil || !strings.Contains(f.m.flash.text, "read-only") {
			t.Fatalf(":%s under --read-only: flash %q", line, f.m.flash.text)
		}
	}
	f.wantCalls()
	if v := f.m.View(); strings.Contains(v, "reset offsets") {
		t.Fatalf("an action shown under --read-only:\n%s", v)
	}
	f.press("?")
	if v := f.m.View(); strings.Contains(v, "create") || strings.Contains(v, "delete") {
		t.Fatalf("help lists actions under --read-only:\n%s", v)
	}
}

func TestActionNeedsASelection(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.busy()
	f.press("shift+tab", "ctrl+d") // Brokers: no topic there
	f.wantFlash("select a topic first")
	f.press("o")
	f.wantFlash("select a group first")
	if _, ok := f.m.top().page.(pages.Brokers); !ok || f.m.dialog != nil {
		t.Fatal("left the Brokers view")
	}
}

// TestCreateTopicChecksTheReplicationFactor: a factor above the live
// brokers is refused at its prompt, and a failure after the confirmation
// stays on screen whole, wrapped, until a key closes it.
func TestCreateTopicChecksTheReplicationFactor(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.busy()
	f.press("c")
	f.typeText("clicks")
	f.press("enter", "enter")
	f.typeText("5")
	f.press("enter")
	if d := f.m.dialog; d == nil || d.stage != stageAsk || d.problem != "replication factor 5 is larger than the 3 live brokers" {
		t.Fatalf("dialog %+v", d)
	}
	f.wantCalls()
	f.press("backspace")
	f.typeText("3")
	f.press("enter", "enter") // no configs
	long := "INVALID_REPLICATION_FACTOR: Replication factor is below 1 or larger than the number of available brokers; broker 3 fenced"
	f.cluster.Fail("CreateTopic", errors.New(long))
	f.press("y")
	d := f.m.dialog
	if d == nil || d.stage != stageRefused || !strings.Contains(d.problem, long) {
		t.Fatalf("dialog after the failure: %+v", d)
	}
	view := strings.Join(strings.Fields(f.m.View()), " ")
	if !strings.Contains(view, "broker 3 fenced") {
		t.Fatalf("the whole error is not on screen:\n%s", f.m.View())
	}
	f.press("x")
	if f.m.dialog != nil {
		t.Fatal("a key did not close the failed dialog")
	}
}

// TestResetOffsetsOfNamedTopics: naming topics resets every partition
// asked, those the group never committed included, as Kafka's tool does.
func TestResetOffsetsOfNamedTopics(t *testing.T) {
	f := newFixture(t, 100, 30)
	f.busy()
	f.cluster.Commit("replay", "orders", 0, 20400)
	f.refreshAt(4 * f.m.opts.Refresh)
	f.command("reset-offsets replay")
	f.typeText("earliest")
	f.press("enter")
	f.typeText("orders:0,9")
	f.press("enter")
	if d := f.m.dialog; d.stage != stageAsk || !strings.Contains(d.problem, "orders has partitions 0 to 5") {
		t.Fatalf("a partition past the topic's: %+v", d)
	}
	for range len("orders:0,9") {
		f.press("backspace")
	}
	f.typeText("orders:0,3 payments")
	f.press("enter")
	d := f.m.dialog
	if d.stage != stageConfirm || d.preview.table == nil || len(d.preview.table.Rows) != 5 {
		t.Fatalf("preview: %+v", d)
	}
	f.press("y")
	f.wantCalls("CommitGroupOffsets replay orders-0=200 orders-3=0 payments-0=0 payments-1=0 payments-2=0")
}
