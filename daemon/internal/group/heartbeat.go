package group

import (
	"github.com/twmb/franz-go/pkg/kerr"
)

// Heartbeat handles a Heartbeat request: it keeps the member's session
// alive and tells it whether a rebalance is under way.
func (c *Coordinator) Heartbeat(req HeartbeatRequest) error {
	if req.Group == "" {
		return kerr.InvalidGroupID
	}
	s, err := c.lockShard(req.Group)
	if err != nil {
		return err
	}
	defer s.mu.Unlock()
	g, ok := s.groups[req.Group]
	if !ok {
		return kerr.UnknownMemberID
	}
	switch {
	case g.is(Dead):
		return kerr.CoordinatorNotAvailable
	case g.staticMemberFenced(req.InstanceID, req.MemberID):
		return kerr.FencedInstanceID
	case !g.has(req.MemberID):
		return kerr.UnknownMemberID
	case req.Generation != g.generation:
		return kerr.IllegalGeneration
	}
	m := g.members[req.MemberID]
	switch g.state {
	case Empty:
		return kerr.UnknownMemberID
	case PreparingRebalance:
		s.heartbeatAfter(g, m, m.sessionTimeout)
		return kerr.RebalanceInProgress
	default:
		s.heartbeatAfter(g, m, m.sessionTimeout)
		return nil
	}
}
