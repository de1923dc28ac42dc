package tui

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/tui/messages"
	"github.com/twmb/franz-go/pkg/kerr"
)

// producing lets the model produce into the fake cluster.
func (f *fixture) producing() {
	f.m.opts.NewProducer = func() (Producer, error) {
		return f.cluster.NewProducer(admin.ProducerConfig{Acks: admin.AcksAll, Idempotent: true}), nil
	}
}

// lastRecord is the newest record of a partition of the fake.
func (f *fixture) lastRecord(topic string, p int32) admin.Record {
	f.t.Helper()
	recs := f.cluster.Records(topic, p)
	if len(recs) == 0 {
		f.t.Fatalf("%s-%d has no records", topic, p)
	}
	return recs[len(recs)-1]
}

func TestProduce(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.producing()
	f.busy()
	f.press("j", "j", "ctrl+p") // orders, 6 partitions
	f.typeText("9")
	f.press("enter")
	if f.m.dialog.stage != stageAsk || !strings.Contains(f.m.dialog.problem, "partitions 0 to 5") {
		t.Fatalf("partition 9 of 6 accepted: %+v", f.m.dialog)
	}
	f.clearInput()
	f.typeText("2")
	f.press("enter")
	f.typeText("user-7")
	f.press("enter")
	f.typeText("trace=abc source=tui")
	f.press("enter")
	f.typeText(`{"n":1}`)
	f.press("enter")
	view := f.m.View()
	if f.m.dialog.stage != stageConfirm || !strings.Contains(view, "user-7") || !strings.Contains(view, "trace=abc source=tui") {
		t.Fatalf("no preview of the record:\n%s", view)
	}
	before := len(f.cluster.Records("orders", 2))
	f.press("y")
	want := "produced to orders partition 2 at offset " + strconv.Itoa(before)
	f.wantFlash(want)
	r := f.lastRecord("orders", 2)
	if string(r.Key) != "user-7" || string(r.Value) != `{"n":1}` || len(r.Headers) != 2 || r.Headers[1].Key != "source" ||
		string(r.Headers[1].Value) != "tui" {
		t.Fatalf("written %+v", r)
	}
}

func TestProduceAutoPartitionNullKey(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.producing()
	f.busy()
	f.command("produce payments")
	f.press("enter", "enter", "enter") // auto, null key, no headers
	f.typeText("hello")
	f.press("enter", "y")
	f.wantFlash("produced to payments partition ")
	var found bool
	for p := range int32(3) {
		for _, r := range f.cluster.Records("payments", p) {
			found = found || string(r.Value) == "hello" && r.Key == nil
		}
	}
	if !found {
		t.Fatal("no keyless record hello in payments")
	}
}

func TestProduceFailureShownWhole(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.producing()
	f.busy()
	f.cluster.Fail("Produce", kerr.NotEnoughReplicas)
	f.command("produce orders 0")
	f.press("enter", "enter")
	f.typeText("v")
	f.press("enter", "y")
	d := f.m.dialog
	if d == nil || d.stage != stageRefused || !strings.Contains(d.problem, "NOT_ENOUGH_REPLICAS") {
		t.Fatalf("dialog after a failed produce: %+v", d)
	}
}

func TestProduceRefusals(t *testing.T) {
	tests := []struct {
		name      string
		stage     func(f *fixture)
		wantFlash string
	}{
		{"read-only", func(f *fixture) { f.readOnly(); f.producing(); f.busy(); f.press("j", "j", "ctrl+p") }, "read-only"},
		{"read-only palette", func(f *fixture) { f.readOnly(); f.producing(); f.busy(); f.command("produce orders") }, "read-only"},
		{"no producer", func(f *fixture) { f.busy(); f.press("j", "j", "ctrl+p") }, "needs a producer"},
		{"no topic selected", func(f *fixture) { f.producing(); f.busy(); f.press("tab", "ctrl+p") }, "select a topic"},
		{"no such topic", func(f *fixture) { f.producing(); f.busy(); f.command("produce nope") }, `no topic "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, 80, 24)
			tt.stage(f)
			if f.m.dialog != nil {
				t.Fatalf("a produce dialog opened: %+v", f.m.dialog)
			}
			f.wantFlash(tt.wantFlash)
			if strings.Contains(f.m.View(), "P produce") && f.m.opts.ReadOnly {
				t.Fatal("produce offered under --read-only")
			}
		})
	}
}

func TestLongValueInABoxWithoutEditor(t *testing.T) {
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", "")
	f := newFixture(t, 80, 24)
	f.producing()
	f.busy()
	f.command("produce orders 1")
	f.press("enter", "enter") // null key, no headers
	f.send(tea.KeyMsg{Type: tea.KeyCtrlE})
	if f.m.dialog.area == nil {
		t.Fatal("ctrl+e without an editor did not open the box")
	}
	f.typeText("line one")
	f.press("enter")
	f.typeText("line two")
	f.settle(f.send(tea.KeyMsg{Type: tea.KeyCtrlD}))
	if f.m.dialog.stage != stageConfirm || !strings.Contains(f.m.View(), "value of 17 bytes, 2 lines") {
		t.Fatalf("the box's text is not the value:\n%s", f.m.View())
	}
	f.press("y")
	if r := f.lastRecord("orders", 1); string(r.Value) != "line one\nline two" {
		t.Fatalf("value %q", r.Value)
	}
}

func TestLongValueFromEditor(t *testing.T) {
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", "vi")
	f := newFixture(t, 80, 24)
	f.producing()
	f.busy()
	f.command("produce orders 1")
	f.press("enter", "enter")
	f.typeText("draft")
	if cmd := f.send(tea.KeyMsg{Type: tea.KeyCtrlE}); cmd == nil || f.m.dialog.area != nil {
		t.Fatal("ctrl+e with $EDITOR set did not hand the terminal to it")
	}
	// The program runs the editor; what it leaves in the file comes back.
	path := filepath.Join(t.TempDir(), "value.txt")
	if err := os.WriteFile(path, []byte("{\n  \"edited\": true\n}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f.settle(f.send(readEdited(f.m.dialog.id, path, nil)))
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("the temporary file was left behind")
	}
	if f.m.dialog.stage != stageConfirm || !strings.Contains(f.m.View(), "3 lines") {
		t.Fatalf("the edited text is not the value:\n%s", f.m.View())
	}
	f.press("y")
	if r := f.lastRecord("orders", 1); string(r.Value) != "{\n  \"edited\": true\n}" {
		t.Fatalf("value %q", r.Value)
	}
}

// resendStaged opens payments-1's Messages view, which holds one record,
// and presses R on it.
func (f *fixture) resendStaged() {
	f.t.Helper()
	f.producing()
	f.m.opts.Messages = clusterMessages{f.cluster}
	p := f.cluster.NewProducer(admin.ProducerConfig{})
	p.Produce(context.Background(), admin.Record{Topic: "payments", Partition: 1, Key: []byte("k-1"), Value: []byte("first"),
		Headers: []admin.Header{{Key: "h", Value: []byte("v")}}}, func(admin.Record, error) {})
	f.busy()
	f.runNow(f.send(keyMsg("G"))) // payments
	f.runNow(f.send(keyMsg("enter")))
	f.runNow(f.send(keyMsg("j")))
	// payments-1 in the Messages view: its offsets looked up, then one
	// poll, which has the record (the next would wait for more).
	f.runLevels(f.send(keyMsg("enter")), 2)
	if f.m.msgs == nil {
		f.t.Fatalf("no Messages view:\n%s", f.m.View())
	}
	f.resend(f.send(keyMsg("R")))
}

func TestResendFromMessages(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.resendStaged()
	if f.m.dialog == nil || !strings.Contains(f.m.View(), "Produce to payments") {
		t.Fatalf("no produce dialog over the Messages view:\n%s", f.m.View())
	}
	for _, want := range []string{"1", "k-1", "h=v", "first"} { // partition, key, headers, value
		if f.m.input.Value() != want {
			t.Fatalf("prompt %q filled with %q, want %q", f.m.dialog.prompts[len(f.m.dialog.answers)].label, f.m.input.Value(), want)
		}
		f.press("enter")
	}
	f.press("y")
	f.wantFlash("produced to payments partition 1 at offset 1")
	if r := f.lastRecord("payments", 1); string(r.Key) != "k-1" || string(r.Value) != "first" || len(r.Headers) != 1 {
		t.Fatalf("resent %+v", r)
	}
	if f.m.msgs == nil || !strings.Contains(f.m.View(), "payments-1 › messages") {
		t.Fatalf("not back on the Messages view:\n%s", f.m.View())
	}
}

// runLevels runs cmd, feeds back what it returns (batches included), and
// so on for levels rounds.
func (f *fixture) runLevels(cmd tea.Cmd, levels int) {
	f.t.Helper()
	if cmd == nil || levels == 0 {
		return
	}
	msg := cmd()
	if batch, ok := msg.(tea.BatchMsg); ok {
		for _, c := range batch {
			f.runLevels(c, levels)
		}
		return
	}
	if msg != nil {
		f.runLevels(f.send(msg), levels-1)
	}
}

// resend runs the command R returned until its ResendMsg, which it feeds
// to the model; the Messages view's polls in the same batch are left.
func (f *fixture) resend(cmd tea.Cmd) {
	f.t.Helper()
	var find func(tea.Cmd) bool
	find = func(c tea.Cmd) bool {
		if c == nil {
			return false
		}
		switch msg := c().(type) {
		case tea.BatchMsg:
			for _, c := range msg {
				if find(c) {
					return true
				}
			}
		case messages.ResendMsg:
			f.send(msg)
			return true
		}
		return false
	}
	if !find(cmd) {
		f.t.Fatalf("R did not ask to resend:\n%s", f.m.View())
	}
}

func TestProduceViews(t *testing.T) {
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", "")
	preview := func(f *fixture) {
		f.producing()
		f.busy()
		f.command("produce orders 2")
		f.typeText("user-7")
		f.press("enter")
		f.typeText("trace=abc")
		f.press("enter")
		f.typeText(`{"n":1}`)
		f.press("enter")
	}
	box := func(f *fixture) {
		f.producing()
		f.busy()
		f.command("produce orders")
		f.press("enter", "enter", "enter")
		f.send(tea.KeyMsg{Type: tea.KeyCtrlE})
		f.typeText(`{"order": 7,`)
		f.press("enter")
		f.typeText(` "items": 3}`)
	}
	prompt := func(f *fixture) { f.producing(); f.busy(); f.press("j", "j", "enter", "j", "ctrl+p") }
	tests := []struct {
		name          string
		width, height int
		stage         func(f *fixture)
	}{
		{"produce_prompt", 80, 24, prompt},
		{"produce_prompt_60x15", 60, 15, prompt},
		{"produce_preview", 80, 24, preview},
		{"produce_preview_60x15", 60, 15, preview},
		{"produce_box", 80, 24, box},
		{"produce_box_60x15", 60, 15, box},
		{"produce_done", 80, 24, func(f *fixture) { preview(f); f.press("y") }},
		{"produce_resend", 80, 24, func(f *fixture) { f.resendStaged(); f.press("enter", "enter") }},
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
