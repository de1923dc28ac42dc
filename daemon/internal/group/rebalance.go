package group

import (
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
)

// maybePrepareRebalance starts a rebalance unless one is being prepared.
func (s *shard) maybePrepareRebalance(g *group, reason string) {
	if g.is(Stable) || g.is(CompletingRebalance) || g.is(Empty) {
		s.prepareRebalance(g, reason)
	}
}

// prepareRebalance moves the group to PreparingRebalance: members must
// rejoin. A new (empty) group waits group.initial.rebalance.delay.ms for
// more members first; otherwise the join completes when every member has
// rejoined or after the rebalance timeout.
func (s *shard) prepareRebalance(g *group, reason string) {
	if g.is(CompletingRebalance) {
		s.propagateAssignment(g, kerr.RebalanceInProgress)
	}
	s.clearPendingSync(g)
	wasEmpty := g.is(Empty)
	s.transition(g, PreparingRebalance)
	s.c.logger.Info("preparing to rebalance group", "group", g.id, "generation", g.generation, "reason", reason)
	if wasEmpty {
		delay := s.c.cfg.InitialRebalanceDelay
		s.delayInitialJoin(g, delay, max(g.rebalanceTimeout()-delay, 0))
		return
	}
	g.initialDelay = false
	s.schedule(g, &g.join, g.rebalanceTimeout(), func() { s.completeJoin(g) })
	s.tryCompleteJoin(g)
}

// delayInitialJoin waits for more members of a new group: while members
// keep arriving, it waits again, within the rebalance timeout.
func (s *shard) delayInitialJoin(g *group, delay, remaining time.Duration) {
	g.initialDelay = true
	s.schedule(g, &g.join, delay, func() {
		if g.newMemberAdded && remaining > 0 {
			g.newMemberAdded = false
			next := min(s.c.cfg.InitialRebalanceDelay, remaining)
			s.delayInitialJoin(g, next, max(remaining-delay, 0))
			return
		}
		s.completeJoin(g)
	})
}

// tryCompleteJoin ends the join phase early when every member rejoined.
func (s *shard) tryCompleteJoin(g *group) {
	if g.is(PreparingRebalance) && !g.initialDelay && g.allJoined() {
		s.completeJoin(g)
	}
}

// completeJoin ends the join phase (Kafka's onCompleteJoin): dynamic
// members that did not rejoin are removed, a new generation starts, every
// joined member gets its answer (the leader with the member list), and
// each must send SyncGroup within the rebalance timeout.
func (s *shard) completeJoin(g *group) {
	g.join.cancel()
	g.initialDelay = false
	for _, m := range g.memberList() {
		if !m.awaitingJoin() && !m.isStatic() {
			m.heartbeat.cancel()
			m.answerSync(SyncResult{Err: kerr.UnknownMemberID})
			g.remove(m.id)
		}
	}
	if g.is(Dead) {
		return
	}
	if !g.electJoinedLeader() && len(g.members) > 0 {
		// Only static members that have not rejoined: wait for them, or
		// for their sessions to end.
		s.schedule(g, &g.join, g.rebalanceTimeout(), func() { s.completeJoin(g) })
		return
	}
	s.initNextGeneration(g)
	if g.is(Empty) {
		s.storeGroup(g, func(err error) {
			if err != nil {
				s.c.logger.Warn("failed to write the empty group", "group", g.id, "generation", g.generation, "err", err)
			}
		})
		return
	}
	s.c.logger.Info("group rebalanced", "group", g.id, "generation", g.generation, "members", len(g.members), "protocol", g.protocol)
	for _, m := range g.memberList() {
		m.answerJoin(g.joinResult(m, false))
		s.heartbeatAfter(g, m, m.sessionTimeout)
		m.isNew = false
		g.pendingSync[m.id] = true
	}
	gen := g.generation
	s.schedule(g, &g.sync, g.rebalanceTimeout(), func() { s.expirePendingSync(g, gen) })
}

func (s *shard) initNextGeneration(g *group) {
	g.generation++
	if len(g.members) == 0 {
		g.protocol = ""
		s.transition(g, Empty)
		return
	}
	g.protocol = g.selectProtocol()
	s.transition(g, CompletingRebalance)
}

// expirePendingSync removes the members that did not send SyncGroup in
// time after a join and rebalances without them.
func (s *shard) expirePendingSync(g *group, generation int32) {
	if generation != g.generation || len(g.pendingSync) == 0 {
		return
	}
	if !g.is(CompletingRebalance) && !g.is(Stable) {
		return
	}
	for id := range g.pendingSync {
		if m := g.members[id]; m != nil {
			m.heartbeat.cancel()
			m.answerJoin(JoinResult{Err: kerr.UnknownMemberID})
			m.answerSync(SyncResult{Err: kerr.UnknownMemberID})
			g.remove(id)
		}
	}
	s.prepareRebalance(g, "members did not send SyncGroup within the rebalance timeout")
}

func (s *shard) clearPendingSync(g *group) {
	g.sync.cancel()
	clear(g.pendingSync)
}

func (s *shard) removePendingSync(g *group, memberID string) {
	delete(g.pendingSync, memberID)
	if len(g.pendingSync) == 0 {
		g.sync.cancel()
	}
}

// propagateAssignment answers every parked SyncGroup: with the member's
// assignment when err is nil, else with err and no assignment. Answered
// members' sessions restart, as their heartbeats were not expected while
// they waited.
func (s *shard) propagateAssignment(g *group, err error) {
	for _, m := range g.memberList() {
		if !m.awaitingSync() {
			continue
		}
		r := SyncResult{Err: err}
		if err == nil {
			r = g.syncResult(m)
		} else {
			m.assignment = nil
		}
		m.answerSync(r)
		s.heartbeatAfter(g, m, m.sessionTimeout)
	}
	if err != nil {
		for _, m := range g.members {
			m.assignment = nil
		}
	}
}

func (g *group) syncResult(m *member) SyncResult {
	pt, p := g.protocolType, g.protocol
	return SyncResult{ProtocolType: &pt, Protocol: &p, Assignment: m.assignment}
}

// removeMember takes a member out of the group (left, expired or fenced)
// and rebalances the rest.
func (s *shard) removeMember(g *group, m *member, reason string) {
	m.heartbeat.cancel()
	// A parked join is answered so the client rejoins if still alive.
	m.answerJoin(JoinResult{Err: kerr.UnknownMemberID})
	m.answerSync(SyncResult{Err: kerr.UnknownMemberID})
	g.remove(m.id)
	switch g.state {
	case Stable, CompletingRebalance:
		s.maybePrepareRebalance(g, reason)
	case PreparingRebalance:
		s.tryCompleteJoin(g)
	}
}

// heartbeatAfter (re)starts a member's session: it is removed unless a
// heartbeat (or other proof of life) comes within d.
func (s *shard) heartbeatAfter(g *group, m *member, d time.Duration) {
	s.schedule(g, &m.heartbeat, d, func() { s.expireMember(g, m) })
}

func (s *shard) expireMember(g *group, m *member) {
	if g.members[m.id] != m {
		return
	}
	if !m.isNew && (m.awaitingJoin() || m.awaitingSync()) {
		// A member parked in a rebalance is bounded by the rebalance
		// timeout, not its session.
		return
	}
	s.c.logger.Info("member session expired", "group", g.id, "member", m.id)
	s.removeMember(g, m, "member "+m.id+" session expired")
}

// addPending hands out a member id (MEMBER_ID_REQUIRED) and expects the
// member back within its session timeout.
func (s *shard) addPending(g *group, id string, session time.Duration) {
	d := &deadline{}
	g.pending[id] = d
	s.schedule(g, d, session, func() { s.removePending(g, id) })
}

func (s *shard) removePending(g *group, id string) {
	if d, ok := g.pending[id]; ok {
		d.cancel()
		delete(g.pending, id)
	}
	if g.is(PreparingRebalance) {
		s.tryCompleteJoin(g)
	}
}
