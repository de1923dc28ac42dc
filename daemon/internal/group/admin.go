package group

import (
	"slices"
	"strings"

	"github.com/twmb/franz-go/pkg/kerr"
)

// Listing is one group of a ListGroups answer.
type Listing struct {
	Group        string
	ProtocolType string
	State        State
}

// ListGroups returns the groups this broker coordinates, sorted by id.
// While a partition is loading its groups are missing and the error is
// COORDINATOR_LOAD_IN_PROGRESS, as Kafka answers.
func (c *Coordinator) ListGroups() ([]Listing, error) {
	var out []Listing
	var err error
	for _, s := range c.shards {
		s.mu.Lock()
		if s.status == loading {
			err = kerr.CoordinatorLoadInProgress
		}
		for _, g := range s.groups {
			out = append(out, Listing{Group: g.id, ProtocolType: g.protocolType, State: g.state})
		}
		s.mu.Unlock()
	}
	slices.SortFunc(out, func(a, b Listing) int { return strings.Compare(a.Group, b.Group) })
	return out, err
}

// Description is a DescribeGroups answer for one group.
type Description struct {
	Group        string
	State        State
	ProtocolType string
	Protocol     string // only while Stable, as Kafka
	Members      []MemberDescription
}

// MemberDescription is one member; metadata and assignment are filled
// only while the group is Stable.
type MemberDescription struct {
	MemberID   string
	InstanceID *string
	ClientID   string
	ClientHost string
	Metadata   []byte
	Assignment []byte
}

// DescribeGroup describes a group; an unknown group is Dead with no
// members, and no error.
func (c *Coordinator) DescribeGroup(groupID string) (Description, error) {
	d := Description{Group: groupID, State: Dead}
	if groupID == "" {
		return d, kerr.InvalidGroupID
	}
	s, err := c.lockShard(groupID)
	if err != nil {
		return d, err
	}
	defer s.mu.Unlock()
	g := s.groups[groupID]
	if g == nil {
		return d, nil
	}
	d.State, d.ProtocolType = g.state, g.protocolType
	stable := g.is(Stable)
	if stable {
		d.Protocol = g.protocol
	}
	for _, m := range g.memberList() {
		md := MemberDescription{MemberID: m.id, InstanceID: m.instanceID, ClientID: m.clientID, ClientHost: m.clientHost}
		if stable {
			md.Metadata, md.Assignment = m.metadata(g.protocol), m.assignment
		}
		d.Members = append(d.Members, md)
	}
	return d, nil
}

// DeleteGroups deletes empty groups with their offsets (tombstones written
// without waiting, as Kafka does): one error (or nil) per group.
func (c *Coordinator) DeleteGroups(groupIDs []string) []error {
	out := make([]error, len(groupIDs))
	for i, id := range groupIDs {
		out[i] = c.deleteGroup(id)
	}
	return out
}

func (c *Coordinator) deleteGroup(id string) error {
	if id == "" {
		return kerr.InvalidGroupID
	}
	s, err := c.lockShard(id)
	if err != nil {
		return err
	}
	defer s.mu.Unlock()
	g := s.groups[id]
	switch {
	case g == nil || g.is(Dead):
		return kerr.GroupIDNotFound
	case !g.is(Empty):
		return kerr.NonEmptyGroup
	}
	s.removeGroup(g)
	return nil
}

// removeGroup makes an empty group Dead and writes tombstones for its
// offsets and metadata.
func (s *shard) removeGroup(g *group) {
	s.transition(g, Dead)
	s.dropGroup(g, kerr.CoordinatorNotAvailable)
	delete(s.groups, g.id)
	recs := make([]record, 0, len(g.offsets)+1)
	for _, tp := range g.committedPartitions() {
		recs = append(recs, record{key: offsetKey(g.id, tp)})
	}
	recs = append(recs, record{key: groupKey(g.id)})
	s.writeTombstones(recs)
}
