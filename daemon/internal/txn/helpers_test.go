package txn

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kqhq/kq/daemon/internal/group"
)

// fakeClock runs timers when the test advances time, on the test's
// goroutine, in deadline order.
type fakeClock struct {
	mu sync.Mutex
	// now is the wall clock; mono the monotonic one, which timers follow
	// and which only Advance moves.
	now    time.Time
	mono   time.Duration
	timers []*fakeTimer
}

type fakeTimer struct {
	c       *fakeClock
	at      time.Duration // on the monotonic clock
	f       func()
	stopped bool
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.UnixMilli(1_700_000_000_000)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Monotonic() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.mono
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) group.Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{c: c, at: c.mono + d, f: f}
	c.timers = append(c.timers, t)
	return t
}

func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := !t.stopped
	t.stopped = true
	return was
}

// Advance lets d pass: both clocks move, firing every timer due on the way.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	target := c.mono + d
	c.mu.Unlock()
	for {
		t := c.nextDue(target)
		if t == nil {
			break
		}
		t.f()
	}
	c.mu.Lock()
	c.now = c.now.Add(target - c.mono)
	c.mono = target
	c.mu.Unlock()
}

// Jump steps the wall clock alone, as an operator, NTP or a restored VM
// does: no time passes and no timer fires.
func (c *fakeClock) Jump(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func (c *fakeClock) nextDue(target time.Duration) *fakeTimer {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.timers = slices.DeleteFunc(c.timers, func(t *fakeTimer) bool { return t.stopped })
	slices.SortStableFunc(c.timers, func(a, b *fakeTimer) int { return cmp.Compare(a.at, b.at) })
	if len(c.timers) == 0 || c.timers[0].at > target {
		return nil
	}
	t := c.timers[0]
	t.stopped = true
	c.now = c.now.Add(t.at - c.mono)
	c.mono = t.at
	return t
}

// memLog is an in-memory __transaction_state: appends get offsets at once
// and complete (asynchronously, in order) when the test settles them, with
// failErr when set.
type memLog struct {
	mu      sync.Mutex
	parts   map[int32][]byte
	ends    map[int32]int64
	pending []func()
	failErr error
	syncErr error // Append itself fails
}

func newMemLog() *memLog { return &memLog{parts: map[int32][]byte{}, ends: map[int32]int64{}} }

func (l *memLog) Append(partition, _ int32, batch []byte, done func(error)) (int64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.syncErr != nil {
		return -1, l.syncErr
	}
	base := l.ends[partition]
	err := l.failErr
	if err == nil {
		b := slices.Clone(batch)
		binary.BigEndian.PutUint64(b[0:8], uint64(base))
		l.parts[partition] = append(l.parts[partition], b...)
		l.ends[partition] = base + int64(binary.BigEndian.Uint32(b[23:27])) + 1
	}
	l.pending = append(l.pending, func() { done(err) })
	return base, nil
}

func (l *memLog) Read(partition int32, offset int64, _ int32) ([]byte, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	data := l.parts[partition]
	for len(data) > 0 {
		size := 12 + int(binary.BigEndian.Uint32(data[8:12]))
		last := int64(binary.BigEndian.Uint64(data[0:8])) + int64(binary.BigEndian.Uint32(data[23:27]))
		if last >= offset {
			return slices.Clone(data), nil
		}
		data = data[size:]
	}
	return nil, nil
}

func (l *memLog) Bounds(partition int32) (int64, int64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return 0, l.ends[partition], nil
}

func (l *memLog) setFail(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.failErr = err
}

// settle completes every pending append, in order, including those the
// completions start.
func (l *memLog) settle() int {
	n := 0
	for {
		l.mu.Lock()
		if len(l.pending) == 0 {
			l.mu.Unlock()
			return n
		}
		f := l.pending[0]
		l.pending = l.pending[1:]
		l.mu.Unlock()
		f()
		n++
	}
}

// fakeMarkers records marker jobs; the test finishes them.
type fakeMarkers struct {
	mu   sync.Mutex
	jobs []markerJob
}

type markerJob struct {
	ctx  context.Context
	m    Markers
	done func(error)
}

func (f *fakeMarkers) WriteMarkers(ctx context.Context, m Markers, done func(error)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.jobs = append(f.jobs, markerJob{ctx, m, done})
}

// take removes and returns the jobs sent so far.
func (f *fakeMarkers) take() []markerJob {
	f.mu.Lock()
	defer f.mu.Unlock()
	jobs := f.jobs
	f.jobs = nil
	return jobs
}

// finish completes every job sent so far with err.
func (f *fakeMarkers) finish(err error) []Markers {
	var out []Markers
	for _, j := range f.take() {
		j.done(err)
		out = append(out, j.m)
	}
	return out
}

// fakePIDs hands out 1000, 1001, ...
type fakePIDs struct {
	mu   sync.Mutex
	next int64
	err  error
}

func (p *fakePIDs) NextProducerID(context.Context) (int64, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return -1, p.err
	}
	p.next++
	return p.next - 1, nil
}

// harness is a coordinator owning every partition over fakes.
type harness struct {
	t       *testing.T
	c       *Coordinator
	clock   *fakeClock
	log     *memLog
	markers *fakeMarkers
	pids    *fakePIDs
}

func testConfig() Config {
	cfg := DefaultConfig()
	cfg.Partitions = 4
	return cfg
}

func newHarness(t *testing.T) *harness {
	return newHarnessOn(t, testConfig(), newMemLog(), newFakeClock(), &fakePIDs{next: 1000})
}

func newHarnessOn(t *testing.T, cfg Config, log *memLog, clock *fakeClock, pids *fakePIDs) *harness {
	t.Helper()
	h := &harness{t: t, clock: clock, log: log, markers: &fakeMarkers{}, pids: pids}
	h.c = New(Options{Config: cfg, Log: log, Markers: h.markers, ProducerIDs: pids, Clock: clock, Logger: slog.New(slog.DiscardHandler)})
	for p := range cfg.Partitions {
		h.c.BecameLeader(p, 7)
	}
	h.waitLoaded()
	t.Cleanup(func() {
		h.c.Close()
		if n := h.c.badTransitions.Load(); n != 0 {
			t.Errorf("%d state transitions Kafka does not allow", n)
		}
	})
	return h
}

func (h *harness) waitLoaded() {
	h.t.Helper()
	waitFor(h.t, "partitions loaded", func() bool {
		for _, s := range h.c.shards {
			s.mu.Lock()
			st := s.status
			s.mu.Unlock()
			if st == loading {
				return false
			}
		}
		return true
	})
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 5s", what)
		}
		time.Sleep(time.Millisecond) // polling a condition with a deadline
	}
}

// answer collects one asynchronous answer.
type answer[T any] struct {
	mu   sync.Mutex
	n    int
	last T
}

func (a *answer[T]) set(v T) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.n++
	a.last = v
}

func (a *answer[T]) get() (T, int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.last, a.n
}

// wait returns the answer once it came, settling the log meanwhile.
func (a *answer[T]) wait(h *harness) T {
	h.t.Helper()
	waitFor(h.t, "answer", func() bool {
		h.log.settle()
		_, n := a.get()
		return n > 0
	})
	v, n := a.get()
	if n != 1 {
		h.t.Fatalf("%d answers, want 1", n)
	}
	return v
}

// producer is a client's view of its transactional id.
type producer struct {
	id    string
	pid   int64
	epoch int16
}

func (h *harness) init(p *producer, timeoutMs int32) InitResult {
	h.t.Helper()
	a := &answer[InitResult]{}
	h.c.InitProducerID(InitRequest{TransactionalID: p.id, TimeoutMs: timeoutMs, ProducerID: -1, ProducerEpoch: -1}, a.set)
	r := a.wait(h)
	if r.Err == nil {
		p.pid, p.epoch = r.ProducerID, r.ProducerEpoch
	}
	return r
}

// newProducer initializes a producer with a 60 s timeout.
func (h *harness) newProducer(id string) *producer {
	h.t.Helper()
	p := &producer{id: id}
	if r := h.init(p, 60_000); r.Err != nil {
		h.t.Fatalf("init %s: %v", id, r.Err)
	}
	return p
}

func (h *harness) add(p *producer, parts ...TopicPartition) error {
	h.t.Helper()
	a := &answer[error]{}
	h.c.AddPartitions(p.id, p.pid, p.epoch, parts, a.set)
	return a.wait(h)
}

func (h *harness) end(p *producer, commit bool) error {
	h.t.Helper()
	a := &answer[error]{}
	h.c.EndTxn(p.id, p.pid, p.epoch, commit, a.set)
	return a.wait(h)
}

func (h *harness) state(id string) State {
	h.t.Helper()
	d := h.c.Describe(id)
	if d.Err != nil {
		h.t.Fatalf("describe %s: %v", id, d.Err)
	}
	return d.State
}

func (h *harness) wantState(id string, want State) {
	h.t.Helper()
	if got := h.state(id); got != want {
		h.t.Fatalf("%s is %v, want %v", id, got, want)
	}
}

func wantErr(t *testing.T, what string, got, want error) {
	t.Helper()
	if !errors.Is(got, want) && got != want {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
}

var (
	tpA = TopicPartition{Topic: "a", Partition: 0}
	tpB = TopicPartition{Topic: "b", Partition: 1}
)
