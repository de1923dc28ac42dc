package group

import (
	"slices"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// TopicPartition names a partition whose offset a group commits.
type TopicPartition struct {
	Topic     string
	Partition int32
}

// group is one classic group: its members, generation and committed
// offsets. Its shard's mutex guards it.
type group struct {
	id           string
	state        State
	stateTime    time.Time
	protocolType string // "" for groups that only commit offsets
	protocol     string // selected for the current generation; "" when none
	generation   int32
	leader       string

	members map[string]*member
	joined  uint64            // member order counter
	static  map[string]string // instance id -> member id
	// pending are member ids handed out with MEMBER_ID_REQUIRED, awaiting
	// their second join; each expires after the session timeout.
	pending map[string]*deadline
	// pendingSync are members that have not sent SyncGroup since the last
	// join completed; they are removed if they do not before the rebalance
	// timeout.
	pendingSync    map[string]bool
	newMemberAdded bool
	initialDelay   bool     // the join waits out group.initial.rebalance.delay.ms
	join           deadline // rebalance delay or timeout
	sync           deadline // pending sync expiry

	offsets map[TopicPartition]Offset
	// inflight counts offset commits written but not yet committed, per
	// partition: they must not expire under the sweep.
	inflight map[TopicPartition]int
	// txnOffsets are transactional offset commits (TxnOffsetCommit) per
	// producer id, invisible to OffsetFetch until the producer's
	// transaction commits (txn_offsets.go).
	txnOffsets map[int64]map[TopicPartition]Offset
}

// Offset is one committed offset.
type Offset struct {
	Offset      int64
	LeaderEpoch int32
	Metadata    string
	CommitTime  int64 // ms
	ExpireTime  int64 // ms; -1 unless an old client asked for a retention
	// logOffset is where the commit record sits in __consumer_offsets: of
	// two commits completing out of order, the later record wins.
	logOffset int64
}

func newGroup(id string, now time.Time) *group {
	return &group{
		id: id, state: Empty, stateTime: now,
		members: map[string]*member{}, static: map[string]string{}, pending: map[string]*deadline{},
		pendingSync: map[string]bool{}, offsets: map[TopicPartition]Offset{}, inflight: map[TopicPartition]int{},
		txnOffsets: map[int64]map[TopicPartition]Offset{},
	}
}

func (g *group) is(s State) bool { return g.state == s }

func (g *group) has(memberID string) bool {
	_, ok := g.members[memberID]
	return ok
}

func (g *group) isLeader(memberID string) bool { return g.leader != "" && g.leader == memberID }

func (g *group) add(m *member) {
	if len(g.members) == 0 {
		g.protocolType = m.protocolType
	}
	g.joined++
	m.joinedAt = g.joined
	g.members[m.id] = m
	if m.instanceID != nil {
		g.static[*m.instanceID] = m.id
	}
	if g.leader == "" {
		g.leader = m.id
	}
}

// remove drops a member; a departing leader is replaced by the oldest
// remaining member.
func (g *group) remove(id string) {
	m, ok := g.members[id]
	if !ok {
		return
	}
	delete(g.members, id)
	delete(g.pendingSync, id)
	if m.instanceID != nil && g.static[*m.instanceID] == id {
		delete(g.static, *m.instanceID)
	}
	if g.leader == id {
		g.leader = ""
		if ms := g.memberList(); len(ms) > 0 {
			g.leader = ms[0].id
		}
	}
}

// memberList returns the members in the order they joined.
func (g *group) memberList() []*member {
	out := make([]*member, 0, len(g.members))
	for _, m := range g.members {
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b *member) int { return int(a.joinedAt) - int(b.joinedAt) })
	return out
}

// staticMemberFenced reports whether a request naming an instance id comes
// from a member id other than the one the instance id now belongs to.
func (g *group) staticMemberFenced(instanceID *string, memberID string) bool {
	if instanceID == nil {
		return false
	}
	cur, ok := g.static[*instanceID]
	return ok && cur != memberID
}

func (g *group) awaitingJoinCount() int {
	n := 0
	for _, m := range g.members {
		if m.awaitingJoin() {
			n++
		}
	}
	return n
}

// allJoined reports whether every member has rejoined and no member id
// handed out with MEMBER_ID_REQUIRED is still expected.
func (g *group) allJoined() bool {
	return len(g.pending) == 0 && g.awaitingJoinCount() == len(g.members)
}

// rebalanceTimeout is the longest rebalance timeout of the members.
func (g *group) rebalanceTimeout() time.Duration {
	var d time.Duration
	for _, m := range g.members {
		d = max(d, m.rebalanceTimeout)
	}
	return d
}

// supportsProtocols reports whether a member joining with these protocols
// fits the group: any type and protocol for an empty group, else the
// group's type and a protocol every current member supports.
func (g *group) supportsProtocols(protocolType string, protocols []Protocol) bool {
	if g.is(Empty) {
		return protocolType != "" && len(protocols) > 0
	}
	if protocolType != g.protocolType {
		return false
	}
	for _, p := range protocols {
		if g.supportCount(p.Name) == len(g.members) {
			return true
		}
	}
	return false
}

func (g *group) supportCount(protocol string) int {
	n := 0
	for _, m := range g.members {
		if slices.ContainsFunc(m.protocols, func(p Protocol) bool { return p.Name == protocol }) {
			n++
		}
	}
	return n
}

// selectProtocol picks the protocol of the next generation as Kafka does:
// among the protocols every member supports, each member votes for the
// first it lists; the most votes win (ties go to the oldest member's
// preference).
func (g *group) selectProtocol() string {
	ms := g.memberList()
	if len(ms) == 0 {
		return ""
	}
	var candidates []string
	for _, p := range ms[0].protocols {
		if g.supportCount(p.Name) == len(ms) {
			candidates = append(candidates, p.Name)
		}
	}
	votes := map[string]int{}
	for _, m := range ms {
		for _, p := range m.protocols {
			if slices.Contains(candidates, p.Name) {
				votes[p.Name]++
				break
			}
		}
	}
	best := ""
	for _, c := range candidates {
		if best == "" || votes[c] > votes[best] {
			best = c
		}
	}
	return best
}

// electJoinedLeader makes a member that rejoined the leader when the
// current leader did not rejoin. It reports false when no member rejoined.
func (g *group) electJoinedLeader() bool {
	if g.leader == "" {
		return false
	}
	if l := g.members[g.leader]; l != nil && l.awaitingJoin() {
		return true
	}
	for _, m := range g.memberList() {
		if m.awaitingJoin() {
			g.leader = m.id
			return true
		}
	}
	return false
}

// joinMembers is what the leader receives: every member with its metadata
// for the selected protocol.
func (g *group) joinMembers() []JoinMember {
	ms := g.memberList()
	out := make([]JoinMember, 0, len(ms))
	for _, m := range ms {
		out = append(out, JoinMember{MemberID: m.id, InstanceID: m.instanceID, Metadata: m.metadata(g.protocol)})
	}
	return out
}

// joinResult is a member's answer for the current generation.
func (g *group) joinResult(m *member, skipAssignment bool) JoinResult {
	r := JoinResult{
		MemberID: m.id, Generation: g.generation, ProtocolType: g.protocolType,
		Leader: g.leader, SkipAssignment: skipAssignment && g.isLeader(m.id),
	}
	if g.protocol != "" {
		p := g.protocol
		r.Protocol = &p
	}
	if g.isLeader(m.id) {
		r.Members = g.joinMembers()
	}
	return r
}

// subscribedTopics returns the topics the members subscribe to, decoded
// from the consumer protocol's metadata; ok is false when they cannot be
// known (not a consumer group, or metadata that does not decode), in which
// case every topic counts as subscribed.
func (g *group) subscribedTopics() (topics map[string]bool, ok bool) {
	if g.protocolType != "consumer" || g.protocol == "" {
		return nil, len(g.members) == 0
	}
	topics = map[string]bool{}
	for _, m := range g.members {
		var meta kmsg.ConsumerMemberMetadata
		if err := meta.ReadFrom(m.metadata(g.protocol)); err != nil {
			return nil, false
		}
		for _, t := range meta.Topics {
			topics[t] = true
		}
	}
	return topics, true
}

func (g *group) subscribedTo(topic string) bool {
	topics, ok := g.subscribedTopics()
	return !ok || topics[topic]
}
