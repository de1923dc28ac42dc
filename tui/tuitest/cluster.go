// Package tuitest is the TUI's test double: the in-memory cluster of
// admintest with consumer groups added, and a log of the changes asked of
// it, so tests can check which admin calls a key led to.
package tuitest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/admintest"
	"github.com/twmb/franz-go/pkg/kerr"
)

// Cluster is an admintest.Cluster with consumer groups. Safe for
// concurrent use.
type Cluster struct {
	*fake

	mu       sync.Mutex
	groups   map[string]*group
	calls    []string
	counts   map[string]int // group and transaction operations asked, by method name
	failures map[string]error
	// partitionFailures are FailPartition's errors by "topic-partition".
	partitionFailures map[string]error
	acls              []admin.ACL // nil: no authorizer
	// sensitive are the broker configs added with SetSensitive.
	sensitive map[string]bool
}

// fake is admintest's cluster under a name that does not hide its Cluster
// method, as an embedded *admintest.Cluster field would.
type fake = admintest.Cluster

type group struct {
	state, protocol string
	members         []admin.GroupMember
	committed       map[string]map[int32]int64
}

// NewCluster returns a cluster of the given brokers with no groups.
func NewCluster(brokerIDs ...int32) *Cluster {
	return &Cluster{fake: admintest.NewCluster(brokerIDs...), groups: map[string]*group{}, counts: map[string]int{},
		failures: map[string]error{}}
}

// SetGroup creates or replaces a group's state, assignor and members,
// keeping its committed offsets.
func (c *Cluster) SetGroup(name, state, protocol string, members ...admin.GroupMember) {
	c.mu.Lock()
	defer c.mu.Unlock()
	g := c.group(name)
	g.state, g.protocol, g.members = state, protocol, members
}

// Commit sets a group's committed offset, creating the group (Empty) if
// needed.
func (c *Cluster) Commit(name, topic string, partition int32, offset int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.commit(c.group(name), topic, partition, offset)
}

func (c *Cluster) group(name string) *group {
	g, ok := c.groups[name]
	if !ok {
		g = &group{state: "Empty", committed: map[string]map[int32]int64{}}
		c.groups[name] = g
	}
	return g
}

func (c *Cluster) commit(g *group, topic string, partition int32, offset int64) {
	if g.committed[topic] == nil {
		g.committed[topic] = map[int32]int64{}
	}
	g.committed[topic][partition] = offset
}

// Calls lists the changes asked of the cluster, in order, one line each:
// "CreateTopic orders 6 3", "CommitGroupOffsets g t-0=5 t-1=7".
func (c *Cluster) Calls() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.calls)
}

// ForgetCalls empties the log of Calls, after a test's setup.
func (c *Cluster) ForgetCalls() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = nil
}

// Count is how many times a group or transaction operation
// ("ListGroups", "DescribeGroup", "GroupOffsets", "ListTransactions",
// "DescribeTransactions", "DescribeProducers") was asked;
// "DescribeTransaction" counts the transactional ids described.
func (c *Cluster) Count(op string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.counts[op]
}

func (c *Cluster) record(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, fmt.Sprintf(format, args...))
}

func (c *Cluster) asked(op string) error {
	if err := c.Failure(op); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts[op]++
	return nil
}

// Fail makes every later call of the named operation fail with err, the
// group operations here as admintest's own; nil clears it.
func (c *Cluster) Fail(op string, err error) {
	c.fake.Fail(op, err)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err == nil {
		delete(c.failures, op)
		return
	}
	c.failures[op] = err
}

// Failure is the error set with Fail for op, if any.
func (c *Cluster) Failure(op string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.failures[op]
}

// CreateTopic records the call and creates the topic.
func (c *Cluster) CreateTopic(ctx context.Context, spec admin.TopicSpec) (admin.CreatedTopic, error) {
	c.record("CreateTopic %s %d %d%s", spec.Name, spec.Partitions, spec.ReplicationFactor, pairs(spec.Configs))
	return c.fake.CreateTopic(ctx, spec)
}

// DeleteTopics records the call and deletes the topics.
func (c *Cluster) DeleteTopics(ctx context.Context, names ...string) error {
	c.record("DeleteTopics %s", strings.Join(names, " "))
	return c.fake.DeleteTopics(ctx, names...)
}

// AddPartitions records the call and grows the topic.
func (c *Cluster) AddPartitions(ctx context.Context, topic string, total int32, assignment [][]int32) error {
	c.record("AddPartitions %s %d", topic, total)
	return c.fake.AddPartitions(ctx, topic, total, assignment)
}

// ListGroups lists the groups, sorted by name.
func (c *Cluster) ListGroups(_ context.Context, states ...string) ([]admin.GroupListing, error) {
	if err := c.asked("ListGroups"); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []admin.GroupListing
	for _, name := range slices.Sorted(maps.Keys(c.groups)) {
		g := c.groups[name]
		if len(states) == 0 || slices.Contains(states, g.state) {
			out = append(out, admin.GroupListing{Group: name, State: g.state, ProtocolType: "consumer", Coordinator: 1})
		}
	}
	return out, nil
}

// DescribeGroup describes a group; an unknown one wraps admin.ErrNotFound.
func (c *Cluster) DescribeGroup(_ context.Context, name string) (admin.Group, error) {
	if err := c.asked("DescribeGroup"); err != nil {
		return admin.Group{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	g, ok := c.groups[name]
	if !ok {
		return admin.Group{}, fmt.Errorf("describe group %s: %w", name, admin.ErrNotFound)
	}
	return admin.Group{Group: name, State: g.state, ProtocolType: "consumer", Protocol: g.protocol,
		Coordinator: admin.Broker{ID: 1, Host: "localhost", Port: 9092}, Members: slices.Clone(g.members)}, nil
}

// GroupOffsets returns a group's committed offsets, sorted.
func (c *Cluster) GroupOffsets(_ context.Context, name string) ([]admin.GroupOffset, error) {
	if err := c.asked("GroupOffsets"); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []admin.GroupOffset
	if g, ok := c.groups[name]; ok {
		for _, topic := range slices.Sorted(maps.Keys(g.committed)) {
			for _, p := range slices.Sorted(maps.Keys(g.committed[topic])) {
				out = append(out, admin.GroupOffset{Topic: topic, Partition: p, Offset: g.committed[topic][p]})
			}
		}
	}
	return out, nil
}

// CommitGroupOffsets commits from outside the group, refused as by a
// broker (UNKNOWN_MEMBER_ID) while the group has members.
func (c *Cluster) CommitGroupOffsets(_ context.Context, name string, offsets []admin.GroupOffset) error {
	parts := make([]string, 0, len(offsets))
	for _, o := range offsets {
		parts = append(parts, fmt.Sprintf("%s-%d=%d", o.Topic, o.Partition, o.Offset))
	}
	c.record("CommitGroupOffsets %s %s", name, strings.Join(parts, " "))
	if err := c.Failure("CommitGroupOffsets"); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	g := c.group(name)
	if len(g.members) > 0 {
		return fmt.Errorf("commit offsets of group %s: %w", name, kerr.UnknownMemberID)
	}
	for _, o := range offsets {
		c.commit(g, o.Topic, o.Partition, o.Offset)
	}
	return nil
}

// Plain is the cluster without its group operations, as a client that
// cannot list groups would be.
func (c *Cluster) Plain() *admintest.Cluster { return c.fake }

// ElectLeaders moves each partition's leadership to its preferred replica
// when that replica is in the ISR, as a controller does for a preferred
// election: ELECTION_NOT_NEEDED where it already leads,
// PREFERRED_LEADER_NOT_AVAILABLE where it is out of the ISR.
func (c *Cluster) ElectLeaders(ctx context.Context, typ admin.ElectionType, partitions map[string][]int32) ([]admin.ElectionResult, error) {
	var asked []string
	for _, topic := range slices.Sorted(maps.Keys(partitions)) {
		for _, p := range partitions[topic] {
			asked = append(asked, fmt.Sprintf("%s-%d", topic, p))
		}
	}
	c.record("ElectLeaders %s %s", typ, strings.Join(asked, " "))
	if err := c.Failure("ElectLeaders"); err != nil {
		return nil, err
	}
	var out []admin.ElectionResult
	for _, topic := range slices.Sorted(maps.Keys(partitions)) {
		ts, err := c.fake.Topics(ctx, topic)
		if err != nil || ts[0].Err != nil {
			return nil, fmt.Errorf("elect leaders: %w", kerr.UnknownTopicOrPartition)
		}
		for _, p := range partitions[topic] {
			out = append(out, admin.ElectionResult{Topic: topic, Partition: p, Err: c.elect(ts[0], p)})
		}
	}
	return out, nil
}

func (c *Cluster) elect(t admin.Topic, id int32) error {
	if int(id) >= len(t.Partitions) {
		return kerr.UnknownTopicOrPartition
	}
	p := t.Partitions[id]
	preferred := p.Replicas[0]
	switch {
	case p.Leader == preferred:
		return kerr.ElectionNotNeeded
	case !slices.Contains(p.ISR, preferred):
		return kerr.PreferredLeaderNotAvailable
	}
	isr := append([]int32{preferred}, slices.DeleteFunc(slices.Clone(p.ISR), func(r int32) bool { return r == preferred })...)
	c.SetISR(t.Name, id, isr...)
	return nil
}
