package replica_test

import (
	"slices"
	"testing"
	"time"

	"github.com/kqhq/kq/daemon/internal/replica"
)

// TestStatsCountAppendsAsLeader: messages and bytes in count what a
// leader appended (a refused append nothing), bytes out what the fetch
// path reports.
func TestStatsCountAppendsAsLeader(t *testing.T) {
	m, _ := newManager(t)
	p := lead(t, m, replica.State{Leader: self, LeaderEpoch: 1, Replicas: []int32{1}, ISR: []int32{1}})
	mustAppend(t, p, 3)
	mustAppend(t, p, 4)
	if _, err := p.AppendAsLeader(records(2), -1, 5); err == nil {
		t.Fatal("append with min.insync.replicas 5 of an ISR of 1 accepted")
	}
	p.CountBytesOut(100)
	st := p.Stats()
	size, segments := p.LogSize()
	if st.MessagesIn != 7 || st.BytesIn != size || st.BytesOut != 100 || segments != 1 {
		t.Fatalf("stats %+v, log %d bytes in %d segments; want 7 messages and the log's bytes in, 100 out, 1 segment", st, size, segments)
	}
}

// TestIsrChangesAreCounted: a written expansion and a written shrink each
// count once.
func TestIsrChangesAreCounted(t *testing.T) {
	store := &fakeIsrStore{isr: []int32{1, 2}}
	m, clock := newIsrManager(t, store)
	p := lead(t, m, replica.State{Leader: self, Replicas: []int32{1, 2, 3}, ISR: []int32{1, 2}})
	mustAppend(t, p, 5)
	fetchAs(t, p, 3, 5)
	waitFor(t, "ISR {1,2,3}", func() bool { return slices.Equal(isrOf(p), []int32{1, 2, 3}) })
	clock.Advance(lagMax + time.Second) // 2 never fetched; 3 did but is now lagging too
	fetchAs(t, p, 3, 5)
	m.ShrinkLaggingIsrs()
	waitFor(t, "ISR {1,3}", func() bool { return slices.Equal(isrOf(p), []int32{1, 3}) })
	if shrinks, expands := m.IsrChanges(); shrinks != 1 || expands != 1 {
		t.Fatalf("IsrChanges() = %d shrinks, %d expands; want 1, 1", shrinks, expands)
	}
}
