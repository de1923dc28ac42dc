package tui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/kqhq/kq/admin"
	"github.com/muesli/termenv"
)

// selected is the key of the row under the cursor on screen.
func (f *fixture) selected() string { return f.m.stack[len(f.m.stack)-1].cursor.Key }

func (f *fixture) page() string { return f.m.stack[len(f.m.stack)-1].page.Name() }

func TestCursorStaysOnItsRowAcrossRefreshes(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.busy()
	f.keys("j", "j", "j")
	if f.selected() != "payments" {
		t.Fatalf("cursor on %q, want payments", f.selected())
	}
	// Two topics sort before payments, one after; payments keeps the cursor.
	for _, name := range []string{"aaa", "abc", "zzz"} {
		if _, err := f.cluster.CreateTopic(context.Background(), admin.TopicSpec{Name: name, Partitions: 1, ReplicationFactor: 1}); err != nil {
			t.Fatal(err)
		}
	}
	f.refreshAt(4 * time.Second)
	if f.selected() != "payments" || f.m.top().cursor.Index != 5 {
		t.Fatalf("after refresh cursor on %q at %d, want payments at 5", f.selected(), f.m.top().cursor.Index)
	}
	if err := f.cluster.DeleteTopics(context.Background(), "payments"); err != nil {
		t.Fatal(err)
	}
	f.refreshAt(6 * time.Second)
	if f.selected() != "zzz" {
		t.Fatalf("after deleting the selected topic cursor on %q, want the next row zzz", f.selected())
	}
}

func TestNavigation(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.busy()
	steps := []struct {
		keys     []string
		wantPage string
		wantKey  string
	}{
		{[]string{"G"}, "Topics", "payments"},
		{[]string{"k", "enter"}, "orders › partitions", "0"},
		{[]string{"G"}, "orders › partitions", "5"},
		{[]string{"esc"}, "Topics", "orders"},
		{[]string{"shift+tab"}, "Brokers", "1"},
		{[]string{"j", "tab"}, "Topics", "orders"},  // each view keeps its cursor
		{[]string{"shift+tab"}, "Brokers", "2"},     // ... both ways
		{[]string{"shift+tab"}, "Transactions", ""}, // wraps round to the last view
		{[]string{"shift+tab"}, "Groups", "audit-sink"},
		{[]string{"j", "enter"}, "billing › lag", "payments/0"},
		{[]string{"tab", "shift+tab"}, "Groups", "billing"}, // back to the view, on the row left
		{[]string{"tab", "tab"}, "Brokers", "2"},
		{[]string{"enter"}, "broker 2 › configs", ""},   // a broker opens on its configs
		{[]string{"esc", "esc", "esc"}, "Brokers", "2"}, // esc at the top does nothing
		{[]string{"g", "k", "k"}, "Brokers", "1"},       // stops at the first row
		{[]string{":"}, "Brokers", "1"},                 // typed into the palette...
		{[]string{"p", " ", "a"}, "Brokers", "1"},       // ...not taken as keys
		{[]string{"backspace", "audit", "enter"}, "audit › partitions", "0"},
		{[]string{"/", "9", "esc"}, "audit › partitions", "0"}, // esc in the filter clears it
		{[]string{"esc"}, "Topics", "audit"},
	}
	for i, s := range steps {
		for _, k := range s.keys {
			if len(k) > 1 && k != "enter" && k != "esc" && k != "tab" && k != "shift+tab" && k != "backspace" {
				f.typeText(k)
				continue
			}
			f.keys(k)
		}
		if f.page() != s.wantPage || f.selected() != s.wantKey {
			t.Fatalf("step %d %v: on %q row %q, want %q row %q", i, s.keys, f.page(), f.selected(), s.wantPage, s.wantKey)
		}
	}
}

func TestFilterKeepsCursorOnMatch(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.busy()
	f.keys("/")
	f.typeText("o")
	f.keys("enter")
	rows := f.m.rows(*f.m.top())
	if len(rows) != 2 || rows[0].Key != "__consumer_offsets" || rows[1].Key != "orders" {
		t.Fatalf("filtered rows %v", rows)
	}
	f.keys("j")
	if f.selected() != "orders" {
		t.Fatalf("cursor on %q", f.selected())
	}
	f.keys("esc")
	if f.m.top().filter != "" || f.selected() != "orders" || len(f.m.rows(*f.m.top())) != 4 {
		t.Fatalf("esc left filter %q cursor %q", f.m.top().filter, f.selected())
	}
}

func TestRefreshCycle(t *testing.T) {
	f := newFixture(t, 80, 24)
	if !f.m.conn.fetching || f.m.initCmd == nil {
		t.Fatal("New did not start the first refresh")
	}
	// The refresh command collects from the source.
	msg, ok := f.m.initCmd().(snapshotMsg)
	if !ok || msg.err != nil || msg.snap == nil || len(msg.snap.Topics) != 4 {
		t.Fatalf("first refresh gave %+v", msg)
	}
	if cmd := f.send(keyMsg("r")); cmd != nil {
		t.Fatal("r started a second refresh while one runs")
	}
	if cmd := f.send(msg); cmd == nil || f.m.conn.fetching || f.m.snap == nil {
		t.Fatal("a result did not schedule the next tick")
	}
	gen := f.m.tickGen
	if cmd := f.send(tickMsg{gen: gen - 1}); cmd != nil || f.m.conn.fetching {
		t.Fatal("a stale tick started a refresh")
	}
	if cmd := f.send(tickMsg{gen: gen}); cmd == nil || !f.m.conn.fetching {
		t.Fatal("the current tick did not start a refresh")
	}
}

func TestPause(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.busy()
	before := f.m.snap
	f.keys("p")
	if cmd := f.send(tickMsg{gen: f.m.tickGen}); cmd != nil {
		t.Fatal("a tick refreshed while paused")
	}
	f.produce("orders", 0, 10)
	f.refreshAt(5 * time.Second) // a refresh that was under way
	if f.m.snap != before {
		t.Fatal("a paused view changed")
	}
	cmd := f.send(keyMsg("p"))
	if f.m.paused || cmd == nil || !f.m.conn.fetching {
		t.Fatal("resume did not refresh at once")
	}
}

func TestQuit(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		f := newFixture(t, 80, 24)
		cmd := f.send(keyMsg(k))
		if cmd == nil {
			t.Fatalf("%s: no command", k)
		}
		if _, ok := cmd().(tea.QuitMsg); !ok {
			t.Fatalf("%s did not quit", k)
		}
	}
	// In the palette q is a letter, ctrl+c still quits.
	f := newFixture(t, 80, 24)
	f.keys(":")
	if cmd := f.send(keyMsg("q")); cmd != nil {
		if _, ok := cmd().(tea.QuitMsg); ok {
			t.Fatal("q quit from inside the palette")
		}
	}
}

func TestColourMarksProblems(t *testing.T) {
	f := newFixture(t, 80, 24)
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.ANSI)
	m, err := New(Options{Source: f.cluster, Renderer: r, Now: f.clock})
	if err != nil {
		t.Fatal(err)
	}
	f.m = m
	f.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	f.cluster.StopBroker(3)
	f.refreshAt(0)
	view := f.m.View()
	red, yellow := "\x1b[1;31m", "\x1b[1;33m"
	for _, want := range []string{red + "✖ 1", yellow + "⚠ 6"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%q", want, view)
		}
	}
	// Under NO_COLOR (the Ascii profile of the other tests) no escape at
	// all, even where lipgloss's default renderer would use colour: every
	// style, plain cells and gaps included, comes from the given renderer.
	was := lipgloss.ColorProfile()
	lipgloss.SetColorProfile(termenv.ANSI256)
	defer lipgloss.SetColorProfile(was)
	plain := newFixture(t, 80, 24)
	plain.busy()
	plain.cluster.StopBroker(3)
	plain.refreshAt(4 * time.Second)
	for _, keys := range [][]string{nil, {"tab"}, {"tab", "j", "enter"}, {"?"}} {
		plain.keys(keys...)
		if v := plain.m.View(); strings.Contains(v, "\x1b[") {
			t.Errorf("colourless view after %v has escapes: %q", keys, v)
		}
	}
}

func TestColourMarksLaggingGroups(t *testing.T) {
	f := newFixture(t, 80, 24)
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.ANSI)
	f.remodel(func(o *Options) { o.Renderer = r })
	f.busy()
	f.lagging()
	f.keys("tab")
	view := f.m.View()
	yellow := "\x1b[1;33m"
	for _, want := range []string{yellow + "⚠ 37,710", yellow + "▁▄▆█"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%q", want, view)
		}
	}
}

func TestGroupOnScreenIsAlwaysDescribed(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.busy()
	if got := f.m.collectOptions().Focus; len(got) != 0 {
		t.Fatalf("focus %v on the Topics view", got)
	}
	f.keys("tab", "j")
	if got := f.m.collectOptions().Focus; !slices.Equal(got, []string{"billing"}) {
		t.Fatalf("focus %v with billing under the cursor", got)
	}
	f.keys("enter")
	if got := f.m.collectOptions().Focus; !slices.Contains(got, "billing") {
		t.Fatalf("focus %v in billing's lag", got)
	}
}

// TestEscapeAndKeyReadTogether: an escape and the next key read in one go
// arrive as alt+key; kq takes them as the two keys, so "esc :" from a fast
// typist or over a slow link still opens the command line.
func TestEscapeAndKeyReadTogether(t *testing.T) {
	f := newFixture(t, 120, 30)
	f.refreshAt(0)
	f.keys("/")
	if f.m.mode == modeNormal {
		t.Fatal("/ did not open the filter")
	}
	f.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{':'}, Alt: true})
	if f.m.mode != modeCommand {
		t.Fatalf("alt+: (esc then :) left mode %v, want the command line", f.m.mode)
	}
}

// TestKeysReadTogether: keys a terminal delivers in one read (":ctx" typed
// before the screen drew) act as the keys they were.
func TestKeysReadTogether(t *testing.T) {
	f := newFixture(t, 120, 30)
	f.refreshAt(0)
	f.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(":he")})
	if f.m.mode != modeCommand {
		t.Fatalf("\":he\" read at once left mode %v, want the command line", f.m.mode)
	}
	if got := f.m.input.Value(); got != "he" {
		t.Fatalf("command line %q, want \"he\"", got)
	}
}

// TestHelpShowsEveryCommandAt80x24: the help lists every command on a
// terminal of the classic size; the last line of commands used to be cut.
func TestHelpShowsEveryCommandAt80x24(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.refreshAt(0)
	f.keys("?")
	view := f.m.View()
	for _, c := range strings.Split(f.m.commands(), "  ") {
		name, _, _ := strings.Cut(c, " ")
		if !strings.Contains(view, name) {
			t.Errorf("%s is not in the help at 80x24:\n%s", name, view)
		}
	}
}
