package groups

import (
	"context"
	"fmt"
	"net"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// tracker watches a group's members: it fails the test when a partition
// is assigned to a member while another live member owns it, and records
// every consumed offset.
type tracker struct {
	t          *testing.T
	topic      string
	partitions int32

	mu       sync.Mutex
	owner    map[int32]string        // partition -> member name
	dead     map[string]bool         // crashed members: their callbacks no longer count
	consumed map[int32]map[int64]int // partition -> offset -> deliveries
	changed  chan struct{}
}

func newTracker(t *testing.T, topic string, partitions int32) *tracker {
	return &tracker{t: t, topic: topic, partitions: partitions, owner: map[int32]string{}, dead: map[string]bool{},
		consumed: map[int32]map[int64]int{}, changed: make(chan struct{})}
}

func (tr *tracker) notifyLocked() {
	close(tr.changed)
	tr.changed = make(chan struct{})
}

func (tr *tracker) assigned(name string, ps map[string][]int32) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if tr.dead[name] {
		return
	}
	for _, p := range ps[tr.topic] {
		if o, ok := tr.owner[p]; ok && o != name {
			tr.t.Errorf("partition %d assigned to %s while %s owns it", p, name, o)
		}
		tr.owner[p] = name
	}
	tr.notifyLocked()
}

func (tr *tracker) revoked(name string, ps map[string][]int32) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	for _, p := range ps[tr.topic] {
		if tr.owner[p] == name {
			delete(tr.owner, p)
		}
	}
	tr.notifyLocked()
}

// crashed forgets a member's partitions: a dead process owns nothing.
func (tr *tracker) crashed(name string) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.dead[name] = true
	for p, o := range tr.owner {
		if o == name {
			delete(tr.owner, p)
		}
	}
	tr.notifyLocked()
}

func (tr *tracker) record(r *kgo.Record) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if tr.consumed[r.Partition] == nil {
		tr.consumed[r.Partition] = map[int64]int{}
	}
	tr.consumed[r.Partition][r.Offset]++
	tr.notifyLocked()
}

// waitFor blocks until cond holds (checked under the lock at every change).
func (tr *tracker) waitFor(timeout time.Duration, what string, cond func() bool) time.Duration {
	tr.t.Helper()
	start := time.Now()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		tr.mu.Lock()
		ok, ch := cond(), tr.changed
		tr.mu.Unlock()
		if ok {
			return time.Since(start)
		}
		select {
		case <-ch:
		case <-deadline.C:
			tr.mu.Lock()
			defer tr.mu.Unlock()
			tr.t.Fatalf("%s: not within %v (owners %v)", what, timeout, tr.owner)
		}
	}
}

// ownedBy reports whether every partition is owned, by exactly the named
// members (each at least one partition when there are enough).
func (tr *tracker) ownedBy(names ...string) func() bool {
	return func() bool {
		if int32(len(tr.owner)) != tr.partitions {
			return false
		}
		seen := map[string]bool{}
		for _, o := range tr.owner {
			seen[o] = true
		}
		for _, n := range names {
			if !seen[n] && int(tr.partitions) >= len(names) {
				return false
			}
		}
		return len(seen) == min(len(names), int(tr.partitions))
	}
}

// consumedUpTo reports whether every partition was consumed up to its end.
func (tr *tracker) consumedUpTo(ends map[int32]int64) func() bool {
	return func() bool {
		for p, end := range ends {
			for o := int64(0); o < end; o++ {
				if tr.consumed[p][o] == 0 {
					return false
				}
			}
		}
		return true
	}
}

// redeliveredBelow counts the extra deliveries of offsets below ends.
func (tr *tracker) redeliveredBelow(ends map[int32]int64) int {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	n := 0
	for p, offs := range tr.consumed {
		for o, c := range offs {
			if o < ends[p] {
				n += c - 1
			}
		}
	}
	return n
}

func (tr *tracker) redelivered() int {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	n := 0
	for _, offs := range tr.consumed {
		for _, c := range offs {
			n += c - 1
		}
	}
	return n
}

// member is one group consumer in this process. Its connections go
// through a dialer the test can cut, to crash it: it then neither
// heartbeats nor leaves, as a killed process.
type member struct {
	name   string
	cl     *kgo.Client
	cancel context.CancelFunc
	done   chan struct{}

	mu    sync.Mutex
	conns []net.Conn
	cut   bool
}

func (m *member) dial(ctx context.Context, network, host string) (net.Conn, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cut {
		return nil, fmt.Errorf("%s crashed", m.name)
	}
	c, err := (&net.Dialer{Timeout: 5 * time.Second}).DialContext(ctx, network, host)
	if err == nil {
		m.conns = append(m.conns, c)
	}
	return c, err
}

func (m *member) crash() {
	m.mu.Lock()
	m.cut = true
	for _, c := range m.conns {
		c.Close()
	}
	m.mu.Unlock()
	m.cancel()
	<-m.done
	go m.cl.Close() // its LeaveGroup can no longer reach the broker
}

// leave stops polling and leaves the group cleanly.
func (m *member) leave() {
	m.cancel()
	<-m.done
	m.cl.Close()
}

func startMember(t *testing.T, tr *tracker, addr, groupID, name string, balancer kgo.GroupBalancer) *member {
	t.Helper()
	m := &member{name: name, done: make(chan struct{})}
	if balancer == nil {
		balancer = kgo.CooperativeStickyBalancer()
	}
	cl, err := kgo.NewClient(
		kgo.SeedBrokers(addr), kgo.Dialer(m.dial), kgo.ClientID(name),
		kgo.ConsumerGroup(groupID), kgo.ConsumeTopics(tr.topic), kgo.Balancers(balancer),
		kgo.SessionTimeout(6*time.Second), kgo.HeartbeatInterval(500*time.Millisecond),
		kgo.AutoCommitInterval(200*time.Millisecond),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.OnPartitionsAssigned(func(_ context.Context, _ *kgo.Client, ps map[string][]int32) { tr.assigned(name, ps) }),
		kgo.OnPartitionsRevoked(func(_ context.Context, cl *kgo.Client, ps map[string][]int32) {
			// A custom revoke callback commits itself, before the
			// partitions go to another member.
			_ = cl.CommitUncommittedOffsets(context.Background())
			tr.revoked(name, ps)
		}),
		kgo.OnPartitionsLost(func(_ context.Context, _ *kgo.Client, ps map[string][]int32) { tr.revoked(name, ps) }),
	)
	if err != nil {
		t.Fatal(err)
	}
	m.cl = cl
	ctx, cancel := context.WithCancel(context.Background())
	m.cancel = cancel
	go func() {
		defer close(m.done)
		for ctx.Err() == nil {
			fs := cl.PollFetches(ctx)
			fs.EachRecord(tr.record)
		}
	}()
	t.Cleanup(func() {
		select {
		case <-m.done:
		default:
			m.leave()
		}
	})
	return m
}

func sortedNames(ms ...*member) []string {
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		out = append(out, m.name)
	}
	sort.Strings(out)
	return out
}
