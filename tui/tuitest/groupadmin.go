package tuitest

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/kqhq/kq/admin"
	"github.com/twmb/franz-go/pkg/kerr"
)

// DeleteGroups deletes groups as a coordinator does: GROUP_ID_NOT_FOUND
// for an unknown one, NON_EMPTY_GROUP while it has members.
func (c *Cluster) DeleteGroups(_ context.Context, groups ...string) (map[string]error, error) {
	c.record("DeleteGroups %s", strings.Join(groups, " "))
	if err := c.Failure("DeleteGroups"); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]error, len(groups))
	for _, name := range groups {
		g, ok := c.groups[name]
		switch {
		case !ok:
			out[name] = kerr.GroupIDNotFound
		case len(g.members) > 0:
			out[name] = kerr.NonEmptyGroup
		default:
			delete(c.groups, name)
			out[name] = nil
		}
	}
	return out, nil
}

// DeleteGroupOffsets deletes a group's committed offsets of a topic's
// partitions (all of them when none are named), as OffsetDelete: refused
// per partition with GROUP_SUBSCRIBED_TO_TOPIC while a member is assigned
// the topic.
func (c *Cluster) DeleteGroupOffsets(ctx context.Context, name, topic string, partitions []int32) (map[int32]error, error) {
	c.record("DeleteGroupOffsets %s %s %v", name, topic, partitions)
	if err := c.Failure("DeleteGroupOffsets"); err != nil {
		return nil, err
	}
	if len(partitions) == 0 {
		ts, err := c.fake.Topics(ctx, topic)
		if err != nil || len(ts) != 1 || ts[0].Err != nil {
			return nil, fmt.Errorf("topic %s: %w", topic, admin.ErrNotFound)
		}
		for _, p := range ts[0].Partitions {
			partitions = append(partitions, p.ID)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	g, ok := c.groups[name]
	if !ok {
		return nil, fmt.Errorf("delete offsets of group %s: %w", name, kerr.GroupIDNotFound)
	}
	subscribed := slices.ContainsFunc(g.members, func(m admin.GroupMember) bool { return len(m.Assignment[topic]) > 0 })
	out := make(map[int32]error, len(partitions))
	for _, p := range partitions {
		if subscribed {
			out[p] = kerr.GroupSubscribedToTopic
			continue
		}
		delete(g.committed[topic], p)
		out[p] = nil
	}
	if len(g.committed[topic]) == 0 {
		delete(g.committed, topic)
	}
	return out, nil
}
