package group

import (
	"github.com/twmb/franz-go/pkg/kerr"
)

// Sync handles a SyncGroup request. respond is called exactly once, now or
// when the leader's assignment is written, under the coordinator's locks:
// it must not block or call back into the coordinator.
func (c *Coordinator) Sync(req SyncRequest, respond func(SyncResult)) {
	if req.Group == "" {
		respond(SyncResult{Err: kerr.InvalidGroupID})
		return
	}
	s, err := c.lockShard(req.Group)
	if err != nil {
		respond(SyncResult{Err: err})
		return
	}
	defer s.mu.Unlock()
	g, ok := s.groups[req.Group]
	if !ok {
		respond(SyncResult{Err: kerr.UnknownMemberID})
		return
	}
	s.sync(g, req, respond)
}

func (s *shard) sync(g *group, req SyncRequest, respond func(SyncResult)) {
	if err := validateSync(g, req); err != nil {
		respond(SyncResult{Err: err})
		return
	}
	m := g.members[req.MemberID]
	switch g.state {
	case Empty:
		respond(SyncResult{Err: kerr.UnknownMemberID})
	case PreparingRebalance:
		respond(SyncResult{Err: kerr.RebalanceInProgress})
	case CompletingRebalance:
		m.answerSync(SyncResult{Err: kerr.RebalanceInProgress}) // a retried sync replaces the first
		m.syncWait = respond
		s.removePendingSync(g, m.id)
		if g.isLeader(m.id) {
			s.assign(g, req.Assignments)
		}
	case Stable:
		s.removePendingSync(g, m.id)
		respond(g.syncResult(m))
		s.heartbeatAfter(g, m, m.sessionTimeout)
	}
}

func validateSync(g *group, req SyncRequest) error {
	switch {
	case g.is(Dead):
		return kerr.CoordinatorNotAvailable
	case g.staticMemberFenced(req.InstanceID, req.MemberID):
		return kerr.FencedInstanceID
	case !g.has(req.MemberID):
		return kerr.UnknownMemberID
	case req.Generation != g.generation:
		return kerr.IllegalGeneration
	case req.ProtocolType != nil && *req.ProtocolType != g.protocolType:
		return kerr.InconsistentGroupProtocol
	case req.Protocol != nil && *req.Protocol != g.protocol:
		return kerr.InconsistentGroupProtocol
	}
	return nil
}

// assign writes the leader's assignment (members it left out get an empty
// one) and, once it is committed, answers every parked SyncGroup and makes
// the group Stable. A rebalance that started meanwhile wins.
func (s *shard) assign(g *group, assignments map[string][]byte) {
	gen := g.generation
	for id, m := range g.members {
		m.assignment = assignments[id]
	}
	s.storeGroup(g, func(err error) {
		if !g.is(CompletingRebalance) || g.generation != gen {
			return
		}
		if err != nil {
			s.propagateAssignment(g, err)
			s.maybePrepareRebalance(g, "failed to write the group's assignment")
			return
		}
		s.propagateAssignment(g, nil)
		s.transition(g, Stable)
	})
}
