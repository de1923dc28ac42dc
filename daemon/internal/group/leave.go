package group

import (
	"github.com/twmb/franz-go/pkg/kerr"
)

// Leave handles a LeaveGroup request: each member leaves (or, named only
// by instance id, is removed by an administrator). The slice holds one
// error (or nil) per member; the error is for the whole request.
func (c *Coordinator) Leave(groupID string, members []LeavingMember) ([]error, error) {
	if groupID == "" {
		return nil, kerr.InvalidGroupID
	}
	s, err := c.lockShard(groupID)
	if err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	out := make([]error, len(members))
	g, ok := s.groups[groupID]
	if !ok {
		for i := range out {
			out[i] = kerr.UnknownMemberID
		}
		return out, nil
	}
	if g.is(Dead) {
		return nil, kerr.CoordinatorNotAvailable
	}
	for i, lm := range members {
		out[i] = s.leave(g, lm)
	}
	return out, nil
}

func (s *shard) leave(g *group, lm LeavingMember) error {
	reason := "member left the group"
	if lm.Reason != "" {
		reason += ": " + lm.Reason
	}
	if lm.MemberID == "" {
		if lm.InstanceID == nil {
			return kerr.UnknownMemberID
		}
		id, ok := g.static[*lm.InstanceID]
		if !ok {
			return kerr.UnknownMemberID
		}
		s.removeMember(g, g.members[id], reason)
		return nil
	}
	if _, ok := g.pending[lm.MemberID]; ok {
		s.removePending(g, lm.MemberID)
		return nil
	}
	if g.staticMemberFenced(lm.InstanceID, lm.MemberID) {
		return kerr.FencedInstanceID
	}
	m, ok := g.members[lm.MemberID]
	if !ok {
		return kerr.UnknownMemberID
	}
	s.c.logger.Info("member left group", "group", g.id, "member", m.id, "reason", lm.Reason)
	s.removeMember(g, m, reason)
	return nil
}
