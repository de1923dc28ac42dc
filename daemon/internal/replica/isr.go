package replica

import (
	"errors"
	"slices"
	"time"
)

// isrChange is an ISR the leader decided and is writing to the partition
// state znode; it takes effect only once written.
type isrChange struct {
	isr         []int32
	leaderEpoch int32 // the epoch it was decided at: stale after a LeaderAndIsr
	zkVersion   int32 // the znode version it replaces (compare-and-set)
}

// ErrIsrConflict is what an IsrStore returns when the state znode is no
// longer at the expected version: the controller or a newer leader wrote
// it, so this broker may no longer lead the partition.
var ErrIsrConflict = errors.New("partition state changed in the metadata store")

// maybeExpandIsrLocked proposes adding a follower to the ISR once it has
// reached the high watermark and the start of the current leader epoch
// (Kafka's isFollowerInSync), unless a change is already being written or
// its broker is not alive.
func (p *Partition) maybeExpandIsrLocked(id int32, f *follower) {
	if !p.canChangeIsrLocked() || slices.Contains(p.state.ISR, id) || !slices.Contains(p.state.Replicas, id) {
		return
	}
	if p.isr.eligible != nil && !p.isr.eligible(id) {
		return
	}
	if f.leo < p.log.HighWatermark() || f.leo < p.epochStartOffset {
		return
	}
	p.proposeIsrLocked(append(slices.Clone(p.state.ISR), id))
}

// maybeShrinkIsr drops ISR members that have not caught up within maxLag
// (Kafka's maybeShrinkIsr). The leader itself always stays.
func (p *Partition) maybeShrinkIsr(now time.Time, maxLag time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.canChangeIsrLocked() {
		return
	}
	leo := p.log.LogEndOffset()
	keep := slices.DeleteFunc(slices.Clone(p.state.ISR), func(id int32) bool {
		if id == p.brokerID {
			return false
		}
		f, ok := p.followers[id]
		return !ok || f.outOfSync(leo, now, maxLag)
	})
	if len(keep) < len(p.state.ISR) {
		p.proposeIsrLocked(keep)
	}
}

func (p *Partition) canChangeIsrLocked() bool {
	return p.isr.enabled && p.isLeaderLocked() && p.pendingIsr == nil
}

func (p *Partition) proposeIsrLocked(isr []int32) {
	p.pendingIsr = &isrChange{isr: isr, leaderEpoch: p.state.LeaderEpoch, zkVersion: p.state.ZkVersion}
	p.isr.propose(p)
}

// pendingWrite returns the state to write for the pending ISR change, and
// false when there is none (a LeaderAndIsr replaced it).
func (p *Partition) pendingWrite() (*isrChange, State, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.pendingIsr
	if c == nil {
		return nil, State{}, false
	}
	s := p.state
	s.ISR = slices.Clone(c.isr)
	s.Replicas = slices.Clone(s.Replicas)
	s.ZkVersion = c.zkVersion
	return c, s, true
}

// isrWritten applies the outcome of writing change. Success makes the new
// ISR current at the znode's new version (the high watermark may move);
// ErrIsrConflict fences the partition until the next LeaderAndIsr. Other
// errors leave the change pending for a retry; it reports whether to retry.
func (p *Partition) isrWritten(c *isrChange, version int32, err error) (retry bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pendingIsr != c {
		return false // overtaken by a LeaderAndIsr
	}
	switch {
	case err == nil:
		p.isr.stats.count(len(p.state.ISR), len(c.isr))
		p.state.ISR, p.state.ZkVersion = c.isr, version
		p.pendingIsr = nil
		p.maybeAdvanceHWLocked()
	case errors.Is(err, ErrIsrConflict):
		p.pendingIsr, p.fenced = nil, true
	default:
		return true
	}
	p.notifyLocked() // wakes acks=all waiters: done, failed or fenced
	return false
}
