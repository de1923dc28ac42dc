package replica

import (
	"slices"
	"time"
)

// follower is what a leader knows of one follower, from its fetches
// (Kafka's Replica state on the leader).
type follower struct {
	leo int64 // its fetch offset: it holds every offset below; -1 unknown
	// lastCaughtUp is the last time it was known to hold everything the
	// leader had; the ISR drops it when this is older than
	// replica.lag.time.max.ms.
	lastCaughtUp time.Time
	// lastFetch and lastFetchLeaderLEO are the time of its previous fetch
	// and the leader's log end offset then.
	lastFetch          time.Time
	lastFetchLeaderLEO int64
	// toldHW is the high watermark its last fetch was answered with, so a
	// fetch finding a higher one is answered at once, not after max_wait:
	// followers learn (and checkpoint) the committed offset promptly.
	toldHW int64
}

// resetFollowersLocked starts tracking afresh on becoming leader, as
// Kafka's resetReplicaState: ISR members count as caught up now, so they
// are not dropped before they had a chance to fetch; the others have never
// caught up.
func (p *Partition) resetFollowersLocked() {
	now, leo := p.isr.now(), p.log.LogEndOffset()
	p.followers = make(map[int32]*follower, len(p.state.Replicas))
	for _, id := range p.state.Replicas {
		if id == p.brokerID {
			continue
		}
		f := &follower{leo: -1, lastFetch: now, lastFetchLeaderLEO: leo}
		if slices.Contains(p.state.ISR, id) {
			f.lastCaughtUp = now
		}
		p.followers[id] = f
	}
}

// recordFetch notes that a follower fetched from offset: it holds every
// offset below. Called only for fetches that did not diverge, so the offset
// is on the leader's history. It may move the high watermark and propose
// adding the follower to the ISR. It returns the high watermark to answer
// with and whether the follower has not been told it yet.
func (p *Partition) recordFetch(id int32, offset int64) (hw int64, news bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.isLeaderLocked() {
		return p.log.HighWatermark(), false
	}
	f, ok := p.followers[id]
	if !ok {
		f = &follower{leo: -1}
		p.followers[id] = f
	}
	f.update(offset, p.log.LogEndOffset(), p.isr.now())
	changed := p.maybeAdvanceHWLocked()
	p.maybeExpandIsrLocked(id, f)
	if changed {
		p.notifyLocked()
	}
	hw = p.log.HighWatermark()
	news = hw > f.toldHW
	f.toldHW = hw
	return hw, news
}

// update is Kafka's Replica.updateFetchState: caught up at this fetch if it
// reached the leader's log end; else caught up as of the previous fetch if
// it reached what the leader had then.
func (f *follower) update(offset, leaderLEO int64, now time.Time) {
	switch {
	case offset >= leaderLEO:
		f.lastCaughtUp = later(f.lastCaughtUp, now)
	case offset >= f.lastFetchLeaderLEO && !f.lastFetch.IsZero():
		f.lastCaughtUp = later(f.lastCaughtUp, f.lastFetch)
	}
	f.leo = offset
	f.lastFetchLeaderLEO = leaderLEO
	f.lastFetch = now
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// outOfSync reports whether an ISR member has lagged too long: it is behind
// the leader's log end and has not caught up within maxLag (Kafka's
// isFollowerOutOfSync).
func (f *follower) outOfSync(leaderLEO int64, now time.Time, maxLag time.Duration) bool {
	return f.leo != leaderLEO && now.Sub(f.lastCaughtUp) > maxLag
}

// maximalIsrLocked is the ISR the high watermark must respect: the
// committed ISR plus any member a pending change adds. A pending shrink
// keeps counting the members it removes until the store has recorded it,
// so the high watermark never advances on an ISR nobody recorded.
func (p *Partition) maximalIsrLocked() []int32 {
	if p.pendingIsr == nil {
		return p.state.ISR
	}
	out := slices.Clone(p.state.ISR)
	for _, id := range p.pendingIsr.isr {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}
