package admin

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
)

// GroupListing is one group of a cluster-wide listing.
type GroupListing struct {
	Group        string `json:"group"`
	State        string `json:"state"`
	ProtocolType string `json:"protocol_type"`
	Coordinator  int32  `json:"coordinator"`
}

// ListGroups lists every group of the cluster (asking every broker, as
// groups live on their coordinators), sorted by name; with states, only
// groups in one of them (Kafka's names: Stable, Empty, ...).
func (c *Client) ListGroups(ctx context.Context, states ...string) ([]GroupListing, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	listed, err := c.kadm.ListGroups(ctx, states...)
	if err != nil {
		return nil, fmt.Errorf("list groups: %w", err)
	}
	out := make([]GroupListing, 0, len(listed))
	for _, g := range listed.Sorted() {
		out = append(out, GroupListing{Group: g.Group, State: g.State, ProtocolType: g.ProtocolType, Coordinator: g.Coordinator})
	}
	return out, nil
}

// GroupMember is one member of a group and the partitions it was assigned
// (for consumer groups).
type GroupMember struct {
	MemberID   string             `json:"member_id"`
	InstanceID string             `json:"instance_id,omitempty"`
	ClientID   string             `json:"client_id"`
	Host       string             `json:"host"`
	Assignment map[string][]int32 `json:"assignment"`
}

// Group describes a group: its state, coordinator, members.
type Group struct {
	Group        string        `json:"group"`
	State        string        `json:"state"`
	ProtocolType string        `json:"protocol_type"`
	Protocol     string        `json:"protocol"`
	Coordinator  Broker        `json:"coordinator"`
	Members      []GroupMember `json:"members"`
	// OffsetStorage is OffsetStorageZooKeeper for a group known only by
	// version-0 commits, "" for the groups the coordinator keeps.
	OffsetStorage string `json:"offset_storage,omitempty"`
}

// DescribeGroup describes a group. A group that does not exist (Kafka says
// Dead) is an error wrapping ErrNotFound.
func (c *Client) DescribeGroup(ctx context.Context, group string) (Group, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	described, err := c.kadm.DescribeGroups(ctx, group)
	if err != nil {
		return Group{}, fmt.Errorf("describe group %s: %w", group, err)
	}
	d, ok := described[group]
	switch {
	case !ok:
		return Group{}, fmt.Errorf("describe group %s: no answer", group)
	case d.Err != nil:
		return Group{}, fmt.Errorf("describe group %s: %w", group, d.Err)
	case d.State == "Dead":
		return Group{}, groupNotFound(group)
	}
	g := Group{Group: group, State: d.State, ProtocolType: d.ProtocolType, Protocol: d.Protocol,
		Coordinator: Broker{ID: d.Coordinator.NodeID, Host: d.Coordinator.Host, Port: d.Coordinator.Port}}
	for _, m := range d.Members {
		gm := GroupMember{MemberID: m.MemberID, ClientID: m.ClientID, Host: m.ClientHost, Assignment: map[string][]int32{}}
		if m.InstanceID != nil {
			gm.InstanceID = *m.InstanceID
		}
		if ca, ok := m.Assigned.AsConsumer(); ok {
			for _, t := range ca.Topics {
				gm.Assignment[t.Topic] = append(gm.Assignment[t.Topic], t.Partitions...)
			}
		}
		g.Members = append(g.Members, gm)
	}
	return g, nil
}

// GroupOffset is a partition's committed offset in a group.
type GroupOffset struct {
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	Offset    int64  `json:"offset"`
	Metadata  string `json:"metadata,omitempty"`
}

// GroupOffsets returns a group's committed offsets, sorted by topic and
// partition.
func (c *Client) GroupOffsets(ctx context.Context, group string) ([]GroupOffset, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	fetched, err := c.kadm.FetchOffsets(ctx, group)
	if err != nil {
		return nil, fmt.Errorf("fetch offsets of group %s: %w", group, err)
	}
	if err := fetched.Error(); err != nil {
		return nil, fmt.Errorf("fetch offsets of group %s: %w", group, err)
	}
	var out []GroupOffset
	fetched.Each(func(o kadm.OffsetResponse) {
		if o.At >= 0 {
			out = append(out, GroupOffset{Topic: o.Topic, Partition: o.Partition, Offset: o.At, Metadata: o.Metadata})
		}
	})
	sortGroupOffsets(out)
	return out, nil
}

func sortGroupOffsets(out []GroupOffset) {
	sort.Slice(out, func(i, j int) bool {
		if out[i].Topic != out[j].Topic {
			return out[i].Topic < out[j].Topic
		}
		return out[i].Partition < out[j].Partition
	})
}

// CommitGroupOffsets commits offsets for a group from outside it, as
// kafka-consumer-groups --reset-offsets --execute does: the broker refuses
// (UNKNOWN_MEMBER_ID) while the group has members.
func (c *Client) CommitGroupOffsets(ctx context.Context, group string, offsets []GroupOffset) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	os := make(kadm.Offsets)
	for _, o := range offsets {
		os.Add(kadm.Offset{Topic: o.Topic, Partition: o.Partition, At: o.Offset, LeaderEpoch: -1, Metadata: o.Metadata})
	}
	resp, err := c.kadm.CommitOffsets(ctx, group, os)
	if err != nil {
		return fmt.Errorf("commit offsets of group %s: %w", group, err)
	}
	if err := resp.Error(); err != nil {
		return fmt.Errorf("commit offsets of group %s: %w", group, err)
	}
	return nil
}

// DeleteGroups deletes groups (only empty ones can go). The map holds each
// group's error, nil when it was deleted.
func (c *Client) DeleteGroups(ctx context.Context, groups ...string) (map[string]error, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	resp, err := c.kadm.DeleteGroups(ctx, groups...)
	if err != nil {
		return nil, fmt.Errorf("delete groups: %w", err)
	}
	out := make(map[string]error, len(groups))
	for _, g := range groups {
		r, ok := resp[g]
		switch {
		case !ok:
			out[g] = errors.New("no answer")
		default:
			out[g] = r.Err
		}
	}
	return out, nil
}

// DeleteGroupOffsets deletes a group's committed offsets of a topic's
// partitions (every partition when none are given). The map holds each
// partition's error: GROUP_SUBSCRIBED_TO_TOPIC while a member consumes it.
func (c *Client) DeleteGroupOffsets(ctx context.Context, group, topic string, partitions []int32) (map[int32]error, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	if len(partitions) == 0 {
		ps, err := c.partitionIDs(ctx, topic)
		if err != nil {
			return nil, err
		}
		partitions = ps
	}
	set := make(kadm.TopicsSet)
	set.Add(topic, partitions...)
	resp, err := c.kadm.DeleteOffsets(ctx, group, set)
	if err != nil {
		if errors.Is(err, kerr.GroupIDNotFound) {
			return nil, groupNotFound(group)
		}
		return nil, fmt.Errorf("delete offsets of group %s: %w", group, err)
	}
	out := make(map[int32]error, len(partitions))
	for _, p := range partitions {
		out[p] = resp[topic][p]
	}
	return out, nil
}

// partitionIDs returns a topic's partition ids, or ErrNotFound.
func (c *Client) partitionIDs(ctx context.Context, topic string) ([]int32, error) {
	ts, err := c.Topics(ctx, topic)
	if err != nil {
		return nil, err
	}
	if len(ts) != 1 || ts[0].Err != nil {
		return nil, fmt.Errorf("topic %s: %w", topic, ErrNotFound)
	}
	out := make([]int32, 0, len(ts[0].Partitions))
	for _, p := range ts[0].Partitions {
		out = append(out, p.ID)
	}
	return out, nil
}

// groupNotFound is the error for a group that does not exist; it matches
// ErrNotFound.
func groupNotFound(group string) error {
	return &notFoundError{msg: fmt.Sprintf("consumer group '%s' does not exist", group)}
}

type notFoundError struct{ msg string }

func (e *notFoundError) Error() string { return e.msg }
func (e *notFoundError) Unwrap() error { return ErrNotFound }
