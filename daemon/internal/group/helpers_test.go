package group

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
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

func (c *fakeClock) AfterFunc(d time.Duration, f func()) Timer {
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

// memLog is an in-memory __consumer_offsets: appends get offsets at once
// and complete when the test settles them (or fail when told to).
type memLog struct {
	mu      sync.Mutex
	parts   map[int32][]byte
	ends    map[int32]int64
	pending []func()
	failErr error // the next appends complete with this error
}

func newMemLog() *memLog { return &memLog{parts: map[int32][]byte{}, ends: map[int32]int64{}} }

func (l *memLog) Append(partition, _ int32, batch []byte, done func(error)) (int64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	base := l.ends[partition]
	b := slices.Clone(batch)
	binary.BigEndian.PutUint64(b[0:8], uint64(base))
	l.parts[partition] = append(l.parts[partition], b...)
	l.ends[partition] = base + int64(binary.BigEndian.Uint32(b[23:27])) + 1
	err := l.failErr
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

// settle completes every pending append, in order.
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

// harness is a coordinator owning every partition, over a fake clock and
// log. Tests act as clients and read the answers.
type harness struct {
	t     *testing.T
	c     *Coordinator
	clock *fakeClock
	log   *memLog
	ids   int
}

func testConfig() Config {
	cfg := DefaultConfig()
	cfg.Partitions = 4
	return cfg
}

func newHarness(t *testing.T, cfg Config) *harness {
	return newHarnessOn(t, cfg, newMemLog(), newFakeClock())
}

func newHarnessOn(t *testing.T, cfg Config, log *memLog, clock *fakeClock) *harness {
	t.Helper()
	h := &harness{t: t, clock: clock, log: log}
	h.c = New(Options{
		Config: cfg, Log: log, Clock: clock,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		NewID:  func() string { h.ids++; return fmt.Sprintf("id%d", h.ids) },
	})
	for p := range cfg.Partitions {
		h.c.BecameLeader(p, 0)
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
	deadline := time.Now().Add(5 * time.Second)
	for _, s := range h.c.shards {
		for {
			s.mu.Lock()
			st := s.status
			s.mu.Unlock()
			if st != loading {
				break
			}
			if time.Now().After(deadline) {
				h.t.Fatalf("partition %d still loading", s.partition)
			}
			time.Sleep(time.Millisecond) // polling a condition with a deadline
		}
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

// consumer is a client member's view.
type consumer struct {
	client   string
	instance *string
	id       string
	gen      int32
	protos   []Protocol
	join     *answer[JoinResult]
	sync     *answer[SyncResult]
}

func protos(names ...string) []Protocol {
	out := make([]Protocol, 0, len(names))
	for _, n := range names {
		out = append(out, Protocol{Name: n, Metadata: []byte("meta-" + n)})
	}
	return out
}

func (h *harness) joinReq(g string, c *consumer) JoinRequest {
	return JoinRequest{
		Group: g, MemberID: c.id, InstanceID: c.instance, RequireKnownMemberID: true,
		ClientID: c.client, ClientHost: "/127.0.0.1",
		RebalanceTimeout: 60 * time.Second, SessionTimeout: 10 * time.Second,
		ProtocolType: "consumer", Protocols: c.protos, SupportsSkipAssignment: true,
	}
}

// startJoin sends a JoinGroup; a first join without an instance id gets
// MEMBER_ID_REQUIRED and is sent again with the id, as clients do.
func (h *harness) startJoin(g string, c *consumer) {
	h.t.Helper()
	c.join = &answer[JoinResult]{}
	h.c.Join(h.joinReq(g, c), c.join.set)
	if r, n := c.join.get(); n == 1 && r.Err == kerr.MemberIDRequired {
		c.id = r.MemberID
		c.join = &answer[JoinResult]{}
		h.c.Join(h.joinReq(g, c), c.join.set)
	}
}

// joined returns the member's JoinGroup answer, failing if none came.
func (h *harness) joined(c *consumer) JoinResult {
	h.t.Helper()
	r, n := c.join.get()
	if n != 1 {
		h.t.Fatalf("%s: %d JoinGroup answers, want 1", c.client, n)
	}
	if r.Err == nil {
		c.id, c.gen = r.MemberID, r.Generation
	}
	return r
}

func (h *harness) parked(c *consumer) bool {
	_, n := c.join.get()
	return n == 0
}

func (h *harness) startSync(g string, c *consumer, assignments map[string][]byte) {
	c.sync = &answer[SyncResult]{}
	h.c.Sync(SyncRequest{Group: g, Generation: c.gen, MemberID: c.id, InstanceID: c.instance, Assignments: assignments}, c.sync.set)
}

func (h *harness) synced(c *consumer) SyncResult {
	h.t.Helper()
	r, n := c.sync.get()
	if n != 1 {
		h.t.Fatalf("%s: %d SyncGroup answers, want 1", c.client, n)
	}
	return r
}

func (h *harness) heartbeat(g string, c *consumer) error {
	return h.c.Heartbeat(HeartbeatRequest{Group: g, Generation: c.gen, MemberID: c.id, InstanceID: c.instance})
}

// stableGroup forms a group of the consumers: all join, the initial delay
// passes, the leader assigns "a-<member>" to each, all sync.
func (h *harness) stableGroup(g string, cs ...*consumer) {
	h.t.Helper()
	for _, c := range cs {
		h.startJoin(g, c)
	}
	h.advanceUntilJoined(cs...)
	h.syncAll(g, cs...)
}

// advanceUntilJoined lets initial rebalance delays pass (each member that
// arrived during one adds another) until every join is answered.
func (h *harness) advanceUntilJoined(cs ...*consumer) {
	h.t.Helper()
	for range 10 {
		if !slices.ContainsFunc(cs, h.parked) {
			return
		}
		h.clock.Advance(h.c.cfg.InitialRebalanceDelay)
	}
	h.t.Fatal("joins still parked after 10 initial delays")
}

// syncAll completes a rebalance every consumer has joined.
func (h *harness) syncAll(g string, cs ...*consumer) {
	h.t.Helper()
	assign := map[string][]byte{}
	for _, c := range cs {
		if r := h.joined(c); r.Err != nil {
			h.t.Fatalf("%s join: %v", c.client, r.Err)
		}
		assign[c.id] = []byte("a-" + c.client)
	}
	for _, c := range cs {
		var a map[string][]byte
		if r, _ := c.join.get(); r.Leader == c.id {
			a = assign
		}
		h.startSync(g, c, a)
	}
	h.log.settle()
	for _, c := range cs {
		if r := h.synced(c); r.Err != nil || string(r.Assignment) != "a-"+c.client {
			h.t.Fatalf("%s sync: %v, assignment %q", c.client, r.Err, r.Assignment)
		}
	}
	h.wantState(g, Stable)
}

func (h *harness) wantState(g string, want State) {
	h.t.Helper()
	d, err := h.c.DescribeGroup(g)
	if err != nil {
		h.t.Fatalf("describe %s: %v", g, err)
	}
	if d.State != want {
		h.t.Fatalf("group %s is %v, want %v", g, d.State, want)
	}
}

func wantErr(t *testing.T, what string, got, want error) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
}
