package tui

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/tui/snapshot"
	"github.com/kqhq/kq/tui/tuitest"
	"github.com/muesli/termenv"
	"github.com/twmb/franz-go/pkg/kerr"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var t0 = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// fixture is a model over a fake three-broker cluster with a clock the
// test moves.
type fixture struct {
	t       *testing.T
	cluster *tuitest.Cluster
	m       Model
	now     time.Time
}

// newFixture builds the cluster: orders (6 partitions, RF 3,
// min.insync.replicas 2), payments (3, RF 3), audit (1 partition on
// broker 3 alone) and __consumer_offsets (3, RF 3).
func newFixture(t *testing.T, width, height int) *fixture {
	t.Helper()
	c := tuitest.NewCluster(1, 2, 3)
	ctx := context.Background()
	specs := []admin.TopicSpec{
		{Name: "orders", Partitions: 6, ReplicationFactor: 3, Configs: map[string]string{"min.insync.replicas": "2"}},
		{Name: "payments", Partitions: 3, ReplicationFactor: 3},
		{Name: "audit", Partitions: admin.BrokerDefault, ReplicationFactor: admin.BrokerDefault, Assignment: [][]int32{{3}}},
		{Name: "__consumer_offsets", Partitions: 3, ReplicationFactor: 3},
	}
	for _, s := range specs {
		if _, err := c.CreateTopic(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	c.ForgetCalls()
	f := &fixture{t: t, cluster: c, now: t0}
	m, err := New(Options{Source: c, Address: "localhost:9092", Renderer: plainRenderer(), Now: f.clock})
	if err != nil {
		t.Fatal(err)
	}
	f.m = m
	f.send(tea.WindowSizeMsg{Width: width, Height: height})
	return f
}

func plainRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	return r
}

func (f *fixture) clock() time.Time { return f.now }

// send runs one message through Update and returns the command.
func (f *fixture) send(msg tea.Msg) tea.Cmd {
	f.t.Helper()
	next, cmd := f.m.Update(msg)
	f.m = next.(Model)
	return cmd
}

// keys types each key: names like "enter", "esc", "tab" or runes.
func (f *fixture) keys(keys ...string) {
	f.t.Helper()
	for _, k := range keys {
		f.send(keyMsg(k))
	}
}

func keyMsg(k string) tea.KeyMsg {
	special := map[string]tea.KeyType{"enter": tea.KeyEnter, "esc": tea.KeyEsc, "tab": tea.KeyTab,
		"shift+tab": tea.KeyShiftTab, "ctrl+c": tea.KeyCtrlC, "backspace": tea.KeyBackspace, "ctrl+d": tea.KeyCtrlD, "ctrl+p": tea.KeyCtrlP,
		"up": tea.KeyUp, "down": tea.KeyDown, "ctrl+u": tea.KeyCtrlU, "ctrl+e": tea.KeyCtrlE}
	if t, ok := special[k]; ok {
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// typeText types s one rune at a time, as a terminal delivers it.
func (f *fixture) typeText(s string) {
	for _, r := range s {
		f.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

// refreshAt collects a snapshot at the given offset from t0 and feeds it
// in, as the refresh command would.
func (f *fixture) refreshAt(after time.Duration) {
	f.t.Helper()
	f.now = t0.Add(after)
	s, err := snapshot.CollectWith(context.Background(), f.m.opts.Source, f.m.snap, f.now, f.m.collectOptions())
	f.send(snapshotMsg{snap: s, err: err, at: f.now, gen: f.m.clusterGen})
}

func (f *fixture) produce(topic string, partition int32, n int) {
	f.cluster.AppendRecords(topic, partition, n)
}

// busy gives the cluster two refreshes two seconds apart with records in
// between, so offsets and rates are filled.
func (f *fixture) busy() {
	f.produce("orders", 0, 1200)
	f.produce("orders", 1, 1500)
	f.produce("payments", 2, 30)
	f.cluster.SetLogStart("orders", 0, 200)
	f.groups()
	f.refreshAt(0)
	f.produce("orders", 0, 36410)
	f.produce("orders", 3, 2)
	f.cluster.Commit("reporting", "orders", 0, 20400) // 20,000 read in 2s
	f.cluster.Commit("billing", "payments", 2, 30)
	f.refreshAt(2 * time.Second)
	f.now = t0.Add(3 * time.Second)
}

// groups sets up three consumer groups: billing (Stable, 3 members, on
// payments, nearly caught up), reporting (Stable, 1 member, on orders, far
// behind) and audit-sink (Empty, caught up on audit).
func (f *fixture) groups() {
	c := f.cluster
	member := func(id, client, host, topic string, ps ...int32) admin.GroupMember {
		m := admin.GroupMember{MemberID: id, ClientID: client, Host: host, Assignment: map[string][]int32{}}
		if len(ps) > 0 {
			m.Assignment[topic] = ps
		}
		return m
	}
	c.SetGroup("billing", "Stable", "range",
		member("billing-1-0b7c", "billing", "/10.0.0.5", "payments", 0, 1),
		member("billing-2-41de", "billing", "/10.0.0.6", "payments", 2),
		member("billing-3-9a0f", "billing", "/10.0.0.8", "payments"))
	c.Commit("billing", "payments", 2, 28)
	c.SetGroup("reporting", "Stable", "cooperative-sticky",
		member("reporting-1-6f2a7b1c-0a8e-4d2b-9f51-3c7d2e1a9b00", "etl", "/10.0.0.7", "orders", 0, 1, 2, 3, 4, 5))
	c.Commit("reporting", "orders", 0, 400)
	c.Commit("reporting", "orders", 1, 1000)
	c.Commit("audit-sink", "audit", 0, 0)
}

// lagging gives reporting two more refreshes in which orders grows faster
// than it reads, so its lag rises three times in a row.
func (f *fixture) lagging() {
	for i, at := range []time.Duration{4 * time.Second, 6 * time.Second} {
		f.produce("orders", 0, 30000)
		f.cluster.Commit("reporting", "orders", 0, int64(40400+i*20000))
		f.refreshAt(at)
	}
	f.now = t0.Add(7 * time.Second)
}

// replay is busy with an Empty group, replay, on orders, selected in the
// Groups view.
func (f *fixture) replay() {
	f.busy()
	f.cluster.Commit("replay", "orders", 0, 20400)
	f.cluster.Commit("replay", "orders", 1, 1000)
	f.cluster.Commit("replay", "orders", 3, 0)
	f.refreshAt(4 * time.Second)
	f.keys("tab", "j", "j")
}

// readOnly replaces the model by one under --read-only.
func (f *fixture) readOnly() { f.remodel(func(o *Options) { o.ReadOnly = true }) }

// remodel replaces the model by a new one with changed options, same size.
func (f *fixture) remodel(change func(*Options)) {
	w, h := f.m.width, f.m.height
	opts := Options{Source: f.cluster, Address: "localhost:9092", Renderer: plainRenderer(), Now: f.clock}
	change(&opts)
	m, err := New(opts)
	if err != nil {
		f.t.Fatal(err)
	}
	f.m = m
	f.send(tea.WindowSizeMsg{Width: w, Height: h})
}

// fakeCluster names tuitest's cluster so that embedding it does not hide
// its Cluster method behind a field of that name.
type fakeCluster = tuitest.Cluster

// sized adds topic sizes to the fake, as admin.Client's TopicSizes does.
type sized struct{ *fakeCluster }

func (s sized) TopicSizes(context.Context) (map[string]int64, error) {
	return map[string]int64{"orders": 4402341478, "payments": 851443712, "__consumer_offsets": 23068672, "audit": 0}, nil
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

// checkFrame asserts the screen is exactly the terminal's size.
func checkFrame(t *testing.T, view string, width, height int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != height {
		t.Errorf("view has %d lines, terminal has %d", len(lines), height)
	}
	for i, l := range lines {
		if w := lipgloss.Width(l); w > width {
			t.Errorf("line %d is %d wide, terminal %d: %q", i+1, w, width, l)
		}
	}
}

func TestViews(t *testing.T) {
	tests := []struct {
		name          string
		width, height int
		stage         func(f *fixture)
	}{
		{"connecting", 80, 24, func(f *fixture) {}},
		{"topics", 80, 24, func(f *fixture) { f.busy() }},
		{"topics_60x15", 60, 15, func(f *fixture) { f.busy() }},
		{"brokers_60x15", 60, 15, func(f *fixture) { f.busy(); f.keys("shift+tab") }},
		{"partitions_60x15", 60, 15, func(f *fixture) { f.busy(); f.keys("j", "j", "enter") }},
		{"groups_60x15", 60, 15, func(f *fixture) { f.busy(); f.keys("tab") }},
		{"group_detail_60x15", 60, 15, func(f *fixture) { f.busy(); f.lagging(); f.keys("tab", "G", "enter") }},
		{"topics_wide", 140, 30, func(f *fixture) { f.busy() }},
		{"brokers", 80, 24, func(f *fixture) { f.busy(); f.keys("shift+tab") }},
		{"partitions", 80, 24, func(f *fixture) { f.busy(); f.keys("j", "j", "enter") }},
		{"partitions_wide", 140, 30, func(f *fixture) { f.busy(); f.keys("j", "j", "enter") }},
		{"brokers_dead", 80, 24, func(f *fixture) {
			f.busy()
			f.cluster.StopBroker(3)
			f.refreshAt(4 * time.Second)
			f.keys("shift+tab", "G")
		}},
		{"topics_dead_broker", 80, 24, func(f *fixture) {
			f.busy()
			f.cluster.StopBroker(3)
			f.refreshAt(4 * time.Second)
			f.keys("j", "j")
		}},
		{"partitions_shrunk_isr", 80, 24, func(f *fixture) {
			f.busy()
			f.cluster.StopBroker(3)
			f.cluster.SetISR("orders", 2, 1) // below min.insync.replicas 2
			f.refreshAt(4 * time.Second)
			f.keys("j", "j", "enter", "j", "j")
		}},
		{"partitions_offline", 80, 24, func(f *fixture) {
			f.busy()
			f.cluster.StopBroker(3)
			f.refreshAt(4 * time.Second)
			f.keys("j", "enter")
		}},
		{"unreachable", 80, 24, func(f *fixture) {
			f.busy()
			f.cluster.Fail("Cluster", errors.New("dial tcp 127.0.0.1:9092: connect: connection refused"))
			f.refreshAt(4 * time.Second)
			f.now = t0.Add(15 * time.Second)
		}},
		{"auth_failed", 80, 24, func(f *fixture) {
			f.cluster.Fail("Cluster", fmt.Errorf("%w: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256", kerr.SaslAuthenticationFailed))
			f.refreshAt(0)
		}},
		{"unreachable_from_start", 80, 24, func(f *fixture) {
			f.cluster.Fail("Cluster", errors.New("dial tcp 127.0.0.1:9092: connect: connection refused"))
			f.refreshAt(0)
		}},
		{"partial", 80, 24, func(f *fixture) {
			f.cluster.Fail("ListOffsets", errors.New("list offsets: NOT_LEADER_OR_FOLLOWER"))
			f.refreshAt(0)
		}},
		{"filter", 80, 24, func(f *fixture) { f.busy(); f.keys("/"); f.typeText("pay") }},
		{"filter_no_match", 80, 24, func(f *fixture) { f.busy(); f.keys("/"); f.typeText("zzz"); f.keys("enter") }},
		{"command", 80, 24, func(f *fixture) { f.busy(); f.keys(":"); f.typeText("partitions pay") }},
		{"command_unknown", 80, 24, func(f *fixture) { f.busy(); f.keys(":"); f.typeText("nope"); f.keys("enter") }},
		{"groups", 80, 24, func(f *fixture) { f.busy(); f.keys("tab") }},
		{"groups_wide", 140, 30, func(f *fixture) { f.busy(); f.keys("tab") }},
		{"groups_lagging", 80, 24, func(f *fixture) { f.busy(); f.lagging(); f.keys("tab", "G") }},
		{"group_detail", 80, 24, func(f *fixture) { f.busy(); f.lagging(); f.keys("tab", "G", "enter") }},
		{"group_detail_wide", 140, 30, func(f *fixture) { f.busy(); f.lagging(); f.keys("tab", "G", "enter", "j") }},
		{"group_detail_members", 80, 24, func(f *fixture) { f.busy(); f.keys("tab", "j", "enter", "G") }},
		{"groups_unsupported", 80, 24, func(f *fixture) {
			f.remodel(func(o *Options) { o.Source = f.cluster.Plain() })
			f.busy()
			f.keys("tab")
		}},
		{"topics_sizes_wide", 140, 30, func(f *fixture) {
			f.remodel(func(o *Options) { o.Source = sized{f.cluster} })
			f.busy()
		}},
		{"create_topic_prompt", 80, 24, func(f *fixture) { f.busy(); f.press("c"); f.typeText("clicks"); f.press("enter") }},
		{"create_topic_confirm", 80, 24, func(f *fixture) { f.busy(); f.command("create-topic clicks 12 3") }},
		{"delete_topic_confirm", 80, 24, func(f *fixture) { f.busy(); f.press("G", "ctrl+d"); f.typeText("paym") }},
		{"delete_topic_done", 80, 24, func(f *fixture) { f.busy(); f.press("G", "ctrl+d"); f.typeText("payments"); f.press("enter") }},
		{"add_partitions_prompt", 80, 24, func(f *fixture) { f.busy(); f.press("j", "j", "+"); f.typeText("5"); f.press("enter") }},
		{"add_partitions_confirm", 80, 24, func(f *fixture) { f.busy(); f.press("j", "j", "enter", "+"); f.typeText("8"); f.press("enter") }},
		{"elect_confirm", 80, 24, func(f *fixture) {
			f.busy()
			f.cluster.SetISR("orders", 1, 3, 2)
			f.cluster.SetISR("orders", 4, 3, 1) // preferred 2 out of the ISR
			f.refreshAt(4 * time.Second)
			f.press("j", "j", "e")
		}},
		{"reset_offsets_prompt", 80, 24, func(f *fixture) { f.replay(); f.press("o") }},
		{"reset_offsets_preview", 80, 24, func(f *fixture) { f.replay(); f.press("o"); f.typeText("-100"); f.press("enter", "enter") }},
		{"reset_offsets_clamped", 80, 24, func(f *fixture) { f.replay(); f.command("reset-offsets replay 100") }},
		{"reset_offsets_refused", 80, 24, func(f *fixture) { f.busy(); f.press("tab", "G", "o") }},
		{"topics_read_only", 80, 24, func(f *fixture) { f.readOnly(); f.busy() }},
		{"groups_read_only", 80, 24, func(f *fixture) { f.readOnly(); f.busy(); f.press("tab", "o") }},
		{"help_read_only", 80, 24, func(f *fixture) { f.readOnly(); f.busy(); f.keys("?") }},
		{"help", 80, 24, func(f *fixture) { f.busy(); f.keys("?") }},
		{"paused", 80, 24, func(f *fixture) { f.busy(); f.keys("p") }},
		{"small", 40, 8, func(f *fixture) { f.busy() }},
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
