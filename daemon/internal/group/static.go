package group

import (
	"github.com/twmb/franz-go/pkg/kerr"
)

// replaceStaticMember gives a static member that rejoined without its
// member id (a restarted process) a new member id, fencing the old one,
// and keeps its assignment. A stable group does not rebalance unless the
// next generation's protocol would change (KIP-345).
func (s *shard) replaceStaticMember(g *group, oldID, newID string, req JoinRequest, respond func(JoinResult)) {
	oldLeader := g.leader
	m := g.members[oldID]
	m.answerJoin(JoinResult{MemberID: oldID, Err: kerr.FencedInstanceID})
	m.answerSync(SyncResult{Err: kerr.FencedInstanceID})
	delete(g.members, oldID)
	m.id = newID
	g.members[newID] = m
	g.static[*req.InstanceID] = newID
	if g.leader == oldID {
		g.leader = newID
	}
	if g.pendingSync[oldID] {
		delete(g.pendingSync, oldID)
		g.pendingSync[newID] = true
	}
	s.heartbeatAfter(g, m, m.sessionTimeout)
	old := *m
	s.updateMember(m, req, respond)

	switch g.state {
	case Stable:
		if g.selectProtocol() != g.protocol {
			s.maybePrepareRebalance(g, "static member "+newID+" rejoined with other protocols")
			return
		}
		s.storeGroup(g, func(err error) {
			if g.members[newID] != m {
				return // replaced again or removed meanwhile; already answered
			}
			if err != nil {
				s.revertStaticMember(g, m, old, oldID, newID, oldLeader)
				m.answerJoin(JoinResult{Err: err, Generation: g.generation, Leader: oldLeader})
				return
			}
			m.answerJoin(s.staticRejoinResult(g, m, req, oldLeader))
		})
	case CompletingRebalance:
		// The leader may already be assigning to the old member id.
		s.prepareRebalance(g, "static member "+newID+" rejoined while the group completed a rebalance")
	}
}

// staticRejoinResult answers a replaced static member of a stable group.
// From JoinGroup v9 the leader is told it leads but must skip the
// assignment; before, the old leader id is returned so a rejoining leader
// does not assign at all (a stable group ignores new assignments).
func (s *shard) staticRejoinResult(g *group, m *member, req JoinRequest, oldLeader string) JoinResult {
	if req.SupportsSkipAssignment {
		return g.joinResult(m, true)
	}
	r := g.joinResult(m, false)
	r.Members, r.Leader = nil, oldLeader
	return r
}

func (s *shard) revertStaticMember(g *group, m *member, old member, oldID, newID, oldLeader string) {
	m.protocols, m.rebalanceTimeout, m.sessionTimeout = old.protocols, old.rebalanceTimeout, old.sessionTimeout
	delete(g.members, newID)
	m.id = oldID
	g.members[oldID] = m
	g.static[*m.instanceID] = oldID
	if g.leader == newID {
		g.leader = oldLeader
	}
	s.heartbeatAfter(g, m, m.sessionTimeout)
}
