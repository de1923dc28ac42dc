package messages

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/charmbracelet/bubbles/cursor"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/admin"
)

// gatedSource hands out consumers that return at most n records a poll,
// one poll per token sent on allow, so a test can watch a scan halfway.
type gatedSource struct {
	*fakeSource
	n     int
	allow chan struct{}
}

func (s *gatedSource) NewConsumer(conf admin.ConsumerConfig) (Consumer, error) {
	c, err := s.fakeSource.NewConsumer(conf)
	if err != nil {
		return nil, err
	}
	return &gatedConsumer{c: c, src: s, next: map[int32]int64{}}, nil
}

// gatedConsumer reports its positions from what it returned, as a real
// consumer does, not from what the fake underneath handed it.
type gatedConsumer struct {
	c       Consumer
	src     *gatedSource
	mu      sync.Mutex
	pending []admin.Record
	next    map[int32]int64
}

func (g *gatedConsumer) Poll(ctx context.Context) ([]admin.Record, error) {
	select {
	case <-g.src.allow:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	g.mu.Lock()
	empty := len(g.pending) == 0
	g.mu.Unlock()
	if empty {
		recs, err := g.c.Poll(ctx)
		if err != nil {
			return nil, err
		}
		g.mu.Lock()
		g.pending = recs
		g.mu.Unlock()
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	n := min(g.src.n, len(g.pending))
	out := g.pending[:n]
	g.pending = g.pending[n:]
	for _, r := range out {
		g.next[r.Partition] = r.Offset + 1
	}
	return out, nil
}

func (g *gatedConsumer) Position(_ string, p int32) (int64, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	n, ok := g.next[p]
	return n, ok
}

func (g *gatedConsumer) Close() { g.c.Close() }

// threePartitions fills orders' partitions with 50 records each:
// order-0..49 in 0, 50..99 in 1, 100..149 in 2; every seventh has a
// header trace=t-I.
func threePartitions(f *fixture) {
	for p := range int32(3) {
		recs := orders(int(p)*50, 50)
		for i := range recs {
			if n := int(p)*50 + i; n%7 == 0 {
				recs[i].Headers = []admin.Header{{Key: "trace", Value: fmt.Appendf(nil, "t-%d", n)}}
			}
		}
		f.produce(p, 0, recs...)
	}
}

// keysHeld lists the keys of the records on show, sorted.
func (f *fixture) keysHeld() []string {
	var out []string
	for i := range f.m.buf.Len() {
		out = append(out, string(f.m.buf.At(i).rec.Key))
	}
	slices.Sort(out)
	return out
}

func keysOf(ns ...int) []string {
	var out []string
	for _, n := range ns {
		out = append(out, fmt.Sprintf("k-%d", n))
	}
	slices.Sort(out)
	return out
}

func TestFilterScansTheWholeTopic(t *testing.T) {
	f := newFixture(t, fixtureOptions{partition: AllPartitions, start: "newest 5", width: 160, height: 24})
	threePartitions(f)
	f.start()
	f.held(15)
	f.src.takeCalls()
	f.keys("f")
	f.typeText("header.trace and not partition=1 or key=k-77")
	f.keys("enter")
	f.until("the scan to end", func(m Model) bool { return m.scan != nil && m.scan.done })
	want := keysOf(0, 7, 14, 21, 28, 35, 42, 49, 77, 105, 112, 119, 126, 133, 140, 147)
	f.until("the matches", func(m Model) bool { return m.buf.Len() == len(want) })
	if got := f.keysHeld(); !slices.Equal(got, want) {
		t.Fatalf("held %v\nwant %v", got, want)
	}
	if s := f.m.scan; s.scanned != 150 || s.matched != int64(len(want)) {
		t.Fatalf("scanned %d matched %d", s.scanned, s.matched)
	}
	if got := f.src.takeCalls(); !slices.Contains(got, "NewConsumer map[orders:map[0:0 1:0 2:0]]") {
		t.Fatalf("calls %v: want a consumer from the oldest of every partition", got)
	}
	view := f.m.View()
	for _, want := range []string{"filter header.trace and not partition=1 or key=k-77", "150 scanned · 16 matched", "✓ filter read the range"} {
		if !strings.Contains(view, want) {
			t.Fatalf("view lacks %q:\n%s", want, view)
		}
	}
	// New records are filtered as they come.
	f.produce(1, 0, admin.Record{Key: []byte("late"), Headers: []admin.Header{{Key: "trace", Value: []byte("x")}}},
		admin.Record{Key: []byte("k-77")})
	f.until("the new match", func(m Model) bool { return m.buf.Len() == len(want)+1 })
	if s := f.m.scan; s.scanned != 152 {
		t.Fatalf("scanned %d after two new records", s.scanned)
	}
}

func TestFilterOverTheViewsRange(t *testing.T) {
	f := newFixture(t, fixtureOptions{start: "offset 40"})
	threePartitions(f)
	f.start()
	f.held(10)
	f.keys("f")
	f.typeText("header.trace")
	f.keys("enter")
	f.until("the scan to end", func(m Model) bool { return m.scan != nil && m.scan.done && m.buf.Len() == 2 })
	if got := f.keysHeld(); !slices.Equal(got, keysOf(42, 49)) || f.m.scan.scanned != 10 {
		t.Fatalf("held %v scanned %d: want the matches from offset 40 only", got, f.m.scan.scanned)
	}
}

func TestFilterProgressStopAndClear(t *testing.T) {
	f := newFixture(t, fixtureOptions{partition: AllPartitions, start: "newest 5", width: 160, height: 24})
	threePartitions(f)
	gs := &gatedSource{fakeSource: f.src, n: 10, allow: make(chan struct{}, 100)}
	f.m.opts.Source = gs
	for range 3 {
		gs.allow <- struct{}{}
	}
	f.start()
	f.held(15)
	f.keys("f")
	f.typeText("value:placed")
	f.keys("enter")
	for range 3 {
		gs.allow <- struct{}{}
	}
	f.until("three batches", func(m Model) bool { return m.scan != nil && m.scan.scanned == 30 })
	view := f.m.View()
	for _, want := range []string{"⟳ filtering 20% · esc stops: 30 scanned · 30 matched · p0 30/50 p1 0/50 p2 0/50", "⟳ filtering"} {
		if !strings.Contains(view, want) {
			t.Fatalf("progress lacks %q:\n%s", want, view)
		}
	}
	f.keys("esc")
	if !f.m.scan.stopped || f.m.buf.Len() != 30 || !strings.Contains(f.m.View(), "◼ filter stopped at 20% · esc clears: 30 scanned · 30 matched") {
		t.Fatalf("after esc:\n%s", f.m.View())
	}
	close(gs.allow) // no more gating: the unfiltered tail reads freely
	f.keys("esc")
	if f.m.scan != nil || f.m.opts.Start.String() != "newest 5" {
		t.Fatalf("second esc: filter %v start %v", f.m.scan, f.m.opts.Start)
	}
	f.held(15)
	f.keys("esc")
	f.until("the view to close", func(Model) bool { return f.closed })
}

func TestFilterErrorsStayInTheInput(t *testing.T) {
	f := newFixture(t, fixtureOptions{})
	f.start()
	f.keys("f")
	f.typeText("nope:1")
	f.keys("enter")
	if f.m.mode != modeFilter || f.m.scan != nil || !strings.Contains(f.m.View(), `unknown field "nope"`) {
		t.Fatalf("a bad filter:\n%s", f.m.View())
	}
	f.keys("backspace", "backspace", "backspace", "backspace", "backspace", "backspace")
	f.keys("enter") // empty: nothing to filter
	if f.m.mode != modeNormal || f.m.scan != nil {
		t.Fatalf("an empty filter: mode %v scan %v", f.m.mode, f.m.scan)
	}
}

// TestSearchGoesOnOverTheWholeTopic is bug 9: / finds a header value, and
// when the records held have no match, enter searches the whole topic.
func TestSearchGoesOnOverTheWholeTopic(t *testing.T) {
	f := newFixture(t, fixtureOptions{partition: AllPartitions, start: "newest 5"})
	threePartitions(f)
	f.start()
	f.held(15)
	f.keys("/")
	f.typeText("t-147") // a header value of a record held
	f.keys("enter")
	if len(f.m.visible) != 1 || f.m.offerScan {
		t.Fatalf("header search: %d visible, offer %v", len(f.m.visible), f.m.offerScan)
	}
	f.keys("esc", "/")
	f.typeText("t-14")
	f.keys("backspace", "backspace", "backspace", "backspace")
	f.typeText("T-")
	f.keys("backspace", "backspace")
	f.typeText("/^t-1[04]$/")
	f.keys("enter")
	if !f.m.offerScan || !strings.Contains(f.m.View(), "no match in the 15 records held: enter searches the whole topic") {
		t.Fatalf("no offer:\n%s", f.m.View())
	}
	f.keys("enter")
	f.until("the scan to end", func(m Model) bool { return m.scan != nil && m.scan.done && m.buf.Len() == 1 })
	if got := f.keysHeld(); !slices.Equal(got, keysOf(14)) {
		t.Fatalf("held %v", got)
	}
	if f.m.search.active() || f.m.scan.filter.String() != `~"^t-1[04]$"` {
		t.Fatalf("search %q filter %q", f.m.search.text, f.m.scan.filter)
	}
}

func TestSearchOfferGoesWithAnyOtherKey(t *testing.T) {
	f := newFixture(t, fixtureOptions{})
	f.produce(0, 0, orders(0, 3)...)
	f.start()
	f.held(3)
	f.keys("/")
	f.typeText("zzz")
	f.keys("enter", "j", "enter")
	if f.m.scan != nil || f.m.offerScan {
		t.Fatalf("the offer outlived another key: scan %v", f.m.scan)
	}
}

func TestFilterReadsOnlyThePartitionsItCanMatch(t *testing.T) {
	f := newFixture(t, fixtureOptions{partition: AllPartitions, start: "newest 5"})
	threePartitions(f)
	f.start()
	f.held(15)
	f.src.takeCalls()
	f.keys("f")
	f.typeText("partition=1 header.trace")
	f.keys("enter")
	f.until("the scan to end", func(m Model) bool { return m.scan != nil && m.scan.done && m.buf.Len() == 7 })
	if got := f.src.takeCalls(); !slices.Contains(got, "NewConsumer map[orders:map[1:0]]") {
		t.Fatalf("calls %v: want a consumer of partition 1 alone", got)
	}
	if f.m.scan.scanned != 50 {
		t.Fatalf("scanned %d, want partition 1's 50", f.m.scan.scanned)
	}
}

func TestFilterPausesWhenTheBufferIsFull(t *testing.T) {
	f := newFixture(t, fixtureOptions{partition: AllPartitions, start: "newest 5", limits: Limits{Records: 20}, width: 120, height: 24})
	threePartitions(f)
	f.start()
	f.held(15)
	f.keys("f")
	f.typeText("value:placed")
	f.keys("enter")
	f.until("the stall", func(m Model) bool { return m.stalled && m.scan != nil })
	if view := f.m.View(); !strings.Contains(view, "◼ filter paused at 100%: buffer full at 20 matches · G reads on") {
		t.Fatalf("status:\n%s", view)
	}
	f.keys("G")
	f.until("the newest matches", func(m Model) bool { return !m.stalled && f.selected() == 49 && m.buf.Len() == 20 })
}

// TestFilterStoppedWhileLookingUp: esc before the offsets are known stops
// the scan for good: the lookup's late answer starts no consumer.
func TestFilterStoppedWhileLookingUp(t *testing.T) {
	f := newFixture(t, fixtureOptions{})
	f.produce(0, 0, orders(0, 3)...)
	f.start()
	f.held(3)
	f.keys("f")
	f.typeText("k-1")
	next, lookup := f.m.Update(keyMsg("enter")) // the lookup, not yet run
	f.m = next
	f.keys("esc")
	f.src.takeCalls()
	f.runNow(lookup)
	if calls := f.src.takeCalls(); slices.ContainsFunc(calls, func(c string) bool { return strings.HasPrefix(c, "NewConsumer") }) {
		t.Fatalf("a stopped scan started a consumer: %v", calls)
	}
	if !f.m.scan.stopped || f.m.err != nil {
		t.Fatalf("stopped %v err %v", f.m.scan.stopped, f.m.err)
	}
}

// runNow runs cmd here and sends what it returns, batches included.
func (f *fixture) runNow(cmd tea.Cmd) {
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
	if _, blink := msg.(cursor.BlinkMsg); !blink {
		f.send(msg)
	}
}

func TestSearchOverTheTopicKeepsTheFilter(t *testing.T) {
	f := newFixture(t, fixtureOptions{partition: AllPartitions, start: "newest 5", limits: Limits{Records: 5}})
	threePartitions(f)
	f.start()
	f.held(5)
	f.keys("f")
	f.typeText("partition=0")
	f.keys("enter")
	f.until("the filter's first matches", func(m Model) bool { return m.scan != nil && m.stalled })
	f.keys("/")
	f.typeText("t-49")
	f.keys("enter", "enter")
	f.until("the search within the filter", func(m Model) bool { return m.scan != nil && m.scan.done && m.buf.Len() == 1 })
	if got, want := f.m.scan.filter.String(), `(partition=0) and "t-49"`; got != want || f.keysHeld()[0] != "k-49" {
		t.Fatalf("filter %q held %v, want %q", got, f.keysHeld(), want)
	}
}
