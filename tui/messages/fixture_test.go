package messages

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/tui/styles"
	"github.com/muesli/termenv"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var t0 = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// fakeSource is the cluster of admintest behind the view, counting the
// calls the view makes.
type fakeSource struct {
	*admintest.Cluster

	mu        sync.Mutex
	calls     []string
	consumers []*fakeConsumer
	newErr    error
}

// fakeConsumer tells when it was closed, safely across goroutines.
type fakeConsumer struct {
	*admintest.Consumer
	closed atomic.Bool
}

func (c *fakeConsumer) Close() { c.closed.Store(true) }

func (s *fakeSource) log(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, fmt.Sprintf(format, args...))
}

func (s *fakeSource) ListOffsets(ctx context.Context, ts int64, topics ...string) ([]admin.PartitionOffset, error) {
	s.log("ListOffsets %d %v", ts, topics)
	return s.Cluster.ListOffsets(ctx, ts, topics...)
}

func (s *fakeSource) NewConsumer(conf admin.ConsumerConfig) (Consumer, error) {
	s.log("NewConsumer %v", conf.Start)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.newErr != nil {
		return nil, s.newErr
	}
	c := &fakeConsumer{Consumer: s.Cluster.NewConsumer(conf)}
	s.consumers = append(s.consumers, c)
	return c, nil
}

// takeCalls returns the calls made since the last take.
func (s *fakeSource) takeCalls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	calls := s.calls
	s.calls = nil
	return calls
}

// fixture drives a Model as bubbletea would: commands run in goroutines
// and their messages come back through Update, one at a time.
type fixture struct {
	t       *testing.T
	cluster *admintest.Cluster
	src     *fakeSource
	m       Model
	msgs    chan tea.Msg
	now     time.Time
	closed  bool // a ClosedMsg came
}

type fixtureOptions struct {
	width, height int
	partition     int32
	start         string
	limits        Limits
	renderer      *lipgloss.Renderer
	copyFile      string
	clipboard     io.Writer
}

// newFixture makes topic "orders" (3 partitions) and opens the view
// without starting it.
func newFixture(t *testing.T, o fixtureOptions) *fixture {
	t.Helper()
	c := admintest.NewCluster(1, 2, 3)
	if _, err := c.CreateTopic(context.Background(), admin.TopicSpec{Name: "orders", Partitions: 3, ReplicationFactor: 3}); err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, cluster: c, src: &fakeSource{Cluster: c}, msgs: make(chan tea.Msg, 1024), now: t0}
	start, err := ParseStart(o.start, t0)
	if err != nil {
		t.Fatal(err)
	}
	if o.renderer == nil {
		o.renderer = plainRenderer()
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel) // ends the polls still waiting
	m, err := New(Options{Context: ctx, Source: f.src, Styles: styles.New(o.renderer), Topic: "orders",
		Partition: o.partition, Start: start, Limits: o.limits, CopyFile: o.copyFile, Clipboard: o.clipboard,
		Now: func() time.Time { return f.now }, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	f.m = m
	if o.width == 0 {
		o.width, o.height = 80, 24
	}
	f.send(tea.WindowSizeMsg{Width: o.width, Height: o.height})
	return f
}

func plainRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	return r
}

func colorRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI256)
	return r
}

// start runs Init and waits for the tail to be polling.
func (f *fixture) start() {
	f.t.Helper()
	f.run(f.m.Init())
	f.until("the tail to start", func(m Model) bool { return m.state == stateTailing && m.tail.polling })
}

func (f *fixture) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() { f.msgs <- cmd() }()
}

// send runs one message through Update.
func (f *fixture) send(msg tea.Msg) {
	f.t.Helper()
	switch msg := msg.(type) {
	case nil:
		return
	case tea.BatchMsg:
		for _, c := range msg {
			f.run(c)
		}
		return
	case ClosedMsg:
		f.closed = true
		return
	}
	next, cmd := f.m.Update(msg)
	f.m = next
	f.run(cmd)
}

// until delivers messages until cond holds.
func (f *fixture) until(what string, cond func(Model) bool) {
	f.t.Helper()
	deadline := time.After(10 * time.Second)
	for !cond(f.m) {
		select {
		case msg := <-f.msgs:
			f.send(msg)
		case <-deadline:
			f.t.Fatalf("timed out waiting for %s; screen:\n%s", what, f.m.View())
		}
	}
}

// held waits until the view holds n records.
func (f *fixture) held(n int) {
	f.t.Helper()
	f.until(fmt.Sprintf("%d records", n), func(m Model) bool { return m.buf.Len() == n })
}

// keys types each key: names like "enter", "esc" or runes.
func (f *fixture) keys(keys ...string) {
	f.t.Helper()
	for _, k := range keys {
		f.send(keyMsg(k))
	}
}

func keyMsg(k string) tea.KeyMsg {
	special := map[string]tea.KeyType{"enter": tea.KeyEnter, "esc": tea.KeyEsc, "ctrl+c": tea.KeyCtrlC,
		"backspace": tea.KeyBackspace, "ctrl+u": tea.KeyCtrlU, "up": tea.KeyUp, "down": tea.KeyDown, "pgdown": tea.KeyPgDown}
	if t, ok := special[k]; ok {
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

func (f *fixture) typeText(s string) {
	for _, r := range s {
		f.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

// produce writes records to a partition, one second apart from t0+at.
func (f *fixture) produce(p int32, at time.Duration, recs ...admin.Record) {
	f.t.Helper()
	pr := f.cluster.NewProducer(admin.ProducerConfig{})
	for i, r := range recs {
		r.Topic, r.Partition = "orders", p
		if r.Timestamp.IsZero() {
			r.Timestamp = t0.Add(at + time.Duration(i)*time.Second)
		}
		var err error
		pr.Produce(context.Background(), r, func(_ admin.Record, e error) { err = e })
		if err != nil {
			f.t.Fatal(err)
		}
	}
}

// orders makes n text records "order-i" with keys "k-i".
func orders(from, n int) []admin.Record {
	var recs []admin.Record
	for i := from; i < from+n; i++ {
		recs = append(recs, admin.Record{Key: fmt.Appendf(nil, "k-%d", i), Value: fmt.Appendf(nil, "order-%d placed", i)})
	}
	return recs
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
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
