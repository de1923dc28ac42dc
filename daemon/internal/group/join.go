package group

import (
	"github.com/twmb/franz-go/pkg/kerr"
)

// Join handles a JoinGroup request. respond is called exactly once, now or
// when the rebalance completes, possibly under the coordinator's locks: it
// must not block or call back into the coordinator.
func (c *Coordinator) Join(req JoinRequest, respond func(JoinResult)) {
	fail := func(err error) { respond(JoinResult{MemberID: req.MemberID, Err: err}) }
	if req.Group == "" {
		fail(kerr.InvalidGroupID)
		return
	}
	s, err := c.lockShard(req.Group)
	if err != nil {
		fail(err)
		return
	}
	defer s.mu.Unlock()
	if req.SessionTimeout < c.cfg.MinSessionTimeout || req.SessionTimeout > c.cfg.MaxSessionTimeout {
		fail(kerr.InvalidSessionTimeout)
		return
	}
	s.join(req, respond)
}

func (s *shard) join(req JoinRequest, respond func(JoinResult)) {
	newMember := req.MemberID == ""
	g, ok := s.groups[req.Group]
	if !ok {
		if !newMember {
			respond(JoinResult{MemberID: req.MemberID, Err: kerr.UnknownMemberID})
			return
		}
		g = newGroup(req.Group, s.c.now())
		s.groups[req.Group] = g
	}
	if !s.acceptJoiningMember(g, req.MemberID) {
		if m := g.members[req.MemberID]; m != nil {
			s.removeMember(g, m, "group is over group.max.size")
		}
		respond(JoinResult{Err: kerr.GroupMaxSizeReached})
	} else if newMember {
		s.joinNewMember(g, req, respond)
	} else {
		s.joinCurrentMember(g, req, respond)
	}
	if g.is(PreparingRebalance) {
		s.tryCompleteJoin(g)
	}
}

// acceptJoiningMember applies group.max.size as Kafka does: while
// preparing a rebalance, members that already rejoined count; otherwise
// the group's size.
func (s *shard) acceptJoiningMember(g *group, memberID string) bool {
	maxSize := s.c.cfg.MaxSize
	switch g.state {
	case Empty, Dead:
		return true
	case PreparingRebalance:
		if m := g.members[memberID]; m != nil && m.awaitingJoin() {
			return true
		}
		return g.awaitingJoinCount() < maxSize
	default:
		return g.has(memberID) || len(g.members) < maxSize
	}
}

func (s *shard) joinNewMember(g *group, req JoinRequest, respond func(JoinResult)) {
	switch {
	case g.is(Dead):
		respond(JoinResult{Err: kerr.CoordinatorNotAvailable})
		return
	case !g.supportsProtocols(req.ProtocolType, req.Protocols):
		respond(JoinResult{Err: kerr.InconsistentGroupProtocol})
		return
	}
	prefix := req.ClientID
	if req.InstanceID != nil {
		prefix = *req.InstanceID
	}
	id := prefix + "-" + s.c.newID()
	switch {
	case req.InstanceID != nil:
		s.joinStaticNewMember(g, req, id, respond)
	case req.RequireKnownMemberID:
		s.addPending(g, id, req.SessionTimeout)
		respond(JoinResult{MemberID: id, Err: kerr.MemberIDRequired})
	default:
		s.addMemberAndRebalance(g, req, id, respond)
	}
}

func (s *shard) joinStaticNewMember(g *group, req JoinRequest, id string, respond func(JoinResult)) {
	old, ok := g.static[*req.InstanceID]
	if !ok {
		s.addMemberAndRebalance(g, req, id, respond)
		return
	}
	s.c.logger.Info("static member rejoined with a new member id; replacing the old one",
		"group", g.id, "instance", *req.InstanceID, "old", old, "new", id)
	s.replaceStaticMember(g, old, id, req, respond)
}

func (s *shard) joinCurrentMember(g *group, req JoinRequest, respond func(JoinResult)) {
	fail := func(err error) { respond(JoinResult{MemberID: req.MemberID, Err: err}) }
	switch {
	case g.is(Dead):
		fail(kerr.CoordinatorNotAvailable)
		return
	case !g.supportsProtocols(req.ProtocolType, req.Protocols):
		fail(kerr.InconsistentGroupProtocol)
		return
	}
	if _, ok := g.pending[req.MemberID]; ok {
		if req.InstanceID != nil {
			fail(kerr.UnknownMemberID) // a static member is never pending
			return
		}
		s.addMemberAndRebalance(g, req, req.MemberID, respond)
		return
	}
	if err := validateCurrentMember(g, req.MemberID, req.InstanceID); err != nil {
		fail(err)
		return
	}
	m := g.members[req.MemberID]
	switch g.state {
	case PreparingRebalance:
		s.updateMemberAndRebalance(g, m, req, respond, "member rejoined during a rebalance")
	case CompletingRebalance:
		if m.matches(req.Protocols) {
			// It missed its JoinGroup answer: send the current one again.
			respond(g.joinResult(m, false))
			return
		}
		s.updateMemberAndRebalance(g, m, req, respond, "member changed its protocols")
	case Stable:
		switch {
		case g.isLeader(m.id):
			// The leader rejoins to trigger a rebalance for changes the
			// member metadata does not show (topic metadata, for consumers).
			s.updateMemberAndRebalance(g, m, req, respond, "leader rejoined")
		case !m.matches(req.Protocols):
			s.updateMemberAndRebalance(g, m, req, respond, "member changed its protocols")
		default:
			r := g.joinResult(m, false)
			r.Members = nil
			respond(r)
		}
	default: // Empty
		fail(kerr.UnknownMemberID)
	}
}

// validateCurrentMember checks that a known member id belongs to the group
// and, for a static member, is the one its instance id maps to now.
func validateCurrentMember(g *group, memberID string, instanceID *string) error {
	if instanceID != nil {
		if _, ok := g.static[*instanceID]; !ok {
			return kerr.UnknownMemberID
		}
		if g.staticMemberFenced(instanceID, memberID) {
			return kerr.FencedInstanceID
		}
		return nil
	}
	if !g.has(memberID) {
		return kerr.UnknownMemberID
	}
	return nil
}

func (s *shard) addMemberAndRebalance(g *group, req JoinRequest, id string, respond func(JoinResult)) {
	m := &member{
		id: id, instanceID: req.InstanceID, clientID: req.ClientID, clientHost: req.ClientHost,
		rebalanceTimeout: req.RebalanceTimeout, sessionTimeout: req.SessionTimeout,
		protocolType: req.ProtocolType, protocols: req.Protocols, isNew: true, joinWait: respond,
	}
	if g.is(PreparingRebalance) && g.generation == 0 {
		g.newMemberAdded = true
	}
	if d, ok := g.pending[id]; ok {
		d.cancel()
		delete(g.pending, id)
	}
	g.add(m)
	// A new member has no id to heartbeat with while its join is parked:
	// bound its wait instead, in case its client gave up and retried.
	s.heartbeatAfter(g, m, s.c.cfg.NewMemberJoinTimeout)
	s.maybePrepareRebalance(g, "member "+id+" joined")
}

func (s *shard) updateMemberAndRebalance(g *group, m *member, req JoinRequest, respond func(JoinResult), reason string) {
	s.updateMember(m, req, respond)
	s.maybePrepareRebalance(g, reason)
}

// updateMember takes a rejoining member's protocols and timeouts and parks
// its answer. An earlier parked join of the same member (a client that
// gave up and retried) is answered at once.
func (s *shard) updateMember(m *member, req JoinRequest, respond func(JoinResult)) {
	m.protocols = req.Protocols
	m.rebalanceTimeout, m.sessionTimeout = req.RebalanceTimeout, req.SessionTimeout
	m.answerJoin(JoinResult{MemberID: m.id, Err: kerr.RebalanceInProgress})
	m.joinWait = respond
}
