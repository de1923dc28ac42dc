package group

import (
	"slices"
	"strings"

	"github.com/twmb/franz-go/pkg/kerr"
)

// CommitRequest is an OffsetCommit request.
type CommitRequest struct {
	Group string
	// Generation is -1 for a commit outside group management (a simple
	// consumer, or an admin resetting offsets of an empty group).
	Generation int32
	MemberID   string
	InstanceID *string
	// RetentionMs (v2-4) asks for an explicit expiry; -1 for the broker's
	// offsets.retention.minutes.
	RetentionMs int64
	Offsets     []CommitOffset
}

// CommitOffset is one partition of a commit.
type CommitOffset struct {
	TopicPartition
	Offset      int64
	LeaderEpoch int32
	Metadata    *string
	// Timestamp (v1 only) is the client's commit time; -1 for now.
	Timestamp int64
}

// CommitOffsets handles an OffsetCommit: respond gets one error (or nil)
// per partition, once the commit is written to all in-sync replicas. It is
// called exactly once, possibly under the coordinator's locks.
func (c *Coordinator) CommitOffsets(req CommitRequest, respond func([]error)) {
	fail := func(err error) { respond(repeatErr(err, len(req.Offsets))) }
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
	g, ok := s.groups[req.Group]
	if !ok {
		if req.Generation >= 0 {
			fail(kerr.IllegalGeneration) // a member of a generation that is gone
			return
		}
		g = newGroup(req.Group, c.now())
		s.groups[req.Group] = g
	}
	if err := validateCommit(g, req); err != nil {
		fail(err)
		return
	}
	switch g.state {
	case CompletingRebalance:
		// A member of this generation that has not synced yet: let it
		// finish the rebalance first.
		fail(kerr.RebalanceInProgress)
		return
	case Stable, PreparingRebalance:
		if m := g.members[req.MemberID]; m != nil {
			s.heartbeatAfter(g, m, m.sessionTimeout)
		}
	}
	s.commit(g, req, respond)
}

func validateCommit(g *group, req CommitRequest) error {
	switch {
	case g.is(Dead):
		return kerr.CoordinatorNotAvailable
	case req.Generation >= 0 || req.MemberID != "" || req.InstanceID != nil:
		switch {
		case g.staticMemberFenced(req.InstanceID, req.MemberID):
			return kerr.FencedInstanceID
		case (req.Generation >= 0 || req.MemberID != "") && !g.has(req.MemberID):
			return kerr.UnknownMemberID
		case req.Generation >= 0 && req.Generation != g.generation:
			return kerr.IllegalGeneration
		}
	case !g.is(Empty):
		// Only members commit for a group with members.
		return kerr.UnknownMemberID
	}
	return nil
}

// commit writes the valid partitions' offsets in one batch and answers
// when it is committed; the cache takes them only then.
func (s *shard) commit(g *group, req CommitRequest, respond func([]error)) {
	errs := make([]error, len(req.Offsets))
	now := s.c.now().UnixMilli()
	var recs []record
	var idx []int
	var offs []Offset
	for i, co := range req.Offsets {
		o := Offset{Offset: co.Offset, LeaderEpoch: co.LeaderEpoch, CommitTime: now, ExpireTime: -1}
		if co.Metadata != nil {
			o.Metadata = *co.Metadata
		}
		if len(o.Metadata) > s.c.cfg.MaxMetadataBytes {
			errs[i] = kerr.OffsetMetadataTooLarge
			continue
		}
		s.applyExpiry(&o, co.Timestamp, req.RetentionMs, now)
		recs = append(recs, record{key: offsetKey(g.id, co.TopicPartition), value: offsetValue(o)})
		idx, offs = append(idx, i), append(offs, o)
		g.inflight[co.TopicPartition]++
	}
	if len(recs) == 0 {
		respond(errs)
		return
	}
	s.write(recs, func(logOffset int64, err error) {
		for j, i := range idx {
			tp := req.Offsets[i].TopicPartition
			s.settleCommit(g, tp, offs[j], logOffset+int64(j), err)
			errs[i] = offsetWriteError(err)
		}
		respond(errs)
	})
}

// applyExpiry keeps the explicit expiry old clients ask for: OffsetCommit
// v1's per-partition timestamp or v2-4's retention time.
func (s *shard) applyExpiry(o *Offset, timestamp, retentionMs, now int64) {
	switch {
	case timestamp >= 0:
		o.CommitTime = timestamp
		o.ExpireTime = timestamp + s.c.cfg.OffsetsRetention.Milliseconds()
	case retentionMs >= 0:
		o.ExpireTime = now + retentionMs
	}
}

// settleCommit ends one in-flight commit: on success the cache takes the
// offset unless a later record of the same partition already landed.
func (s *shard) settleCommit(g *group, tp TopicPartition, o Offset, logOffset int64, err error) {
	if g.inflight[tp]--; g.inflight[tp] <= 0 {
		delete(g.inflight, tp)
	}
	if err != nil || s.groups[g.id] != g {
		return
	}
	o.logOffset = logOffset
	if cur, ok := g.offsets[tp]; ok && cur.logOffset > logOffset {
		return
	}
	g.offsets[tp] = o
}

func repeatErr(err error, n int) []error {
	out := make([]error, n)
	for i := range out {
		out[i] = err
	}
	return out
}

// FetchedOffset is one partition of an OffsetFetch answer; Offset is -1
// when the group committed none. Err is UNSTABLE_OFFSET_COMMIT for a
// partition whose commit is not settled, when stable offsets were asked.
type FetchedOffset struct {
	TopicPartition
	Offset      int64
	LeaderEpoch int32
	Metadata    string
	Err         error
}

// FetchOffsets returns a group's committed offsets for the partitions, or
// all of them when partitions is nil. An unknown group has none.
// Transactional offsets count only once their transaction committed.
func (c *Coordinator) FetchOffsets(groupID string, partitions []TopicPartition) ([]FetchedOffset, error) {
	return c.FetchStableOffsets(groupID, partitions, false)
}

// FetchStableOffsets is FetchOffsets with OffsetFetch v7's require_stable
// (KIP-447): a partition with a commit not yet settled (an offset commit
// being replicated, or a transactional one before its marker) answers
// UNSTABLE_OFFSET_COMMIT instead of an offset, so a consumer does not
// start from an offset its transactional predecessor is about to replace.
func (c *Coordinator) FetchStableOffsets(groupID string, partitions []TopicPartition, requireStable bool) ([]FetchedOffset, error) {
	if groupID == "" {
		return nil, kerr.InvalidGroupID
	}
	s, err := c.lockShard(groupID)
	if err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	g := s.groups[groupID]
	if partitions == nil {
		if g == nil {
			return nil, nil
		}
		partitions = g.committedPartitions()
	}
	out := make([]FetchedOffset, 0, len(partitions))
	for _, tp := range partitions {
		f := FetchedOffset{TopicPartition: tp, Offset: -1, LeaderEpoch: -1}
		switch {
		case g == nil || g.is(Dead):
		case requireStable && g.hasPendingCommit(tp):
			f.Err = kerr.UnstableOffsetCommit
		default:
			if o, ok := g.offsets[tp]; ok {
				f.Offset, f.LeaderEpoch, f.Metadata = o.Offset, o.LeaderEpoch, o.Metadata
			}
		}
		out = append(out, f)
	}
	return out, nil
}

// committedPartitions lists the partitions with a committed offset,
// sorted by topic and partition.
func (g *group) committedPartitions() []TopicPartition {
	out := make([]TopicPartition, 0, len(g.offsets))
	for tp := range g.offsets {
		out = append(out, tp)
	}
	slices.SortFunc(out, compareTP)
	return out
}

func compareTP(a, b TopicPartition) int {
	if c := strings.Compare(a.Topic, b.Topic); c != 0 {
		return c
	}
	return int(a.Partition) - int(b.Partition)
}

// DeleteOffsets handles OffsetDelete: an empty group loses the partitions'
// offsets; a consumer group with members only those of topics it is not
// subscribed to (GROUP_SUBSCRIBED_TO_TOPIC for the others). The tombstones
// are written without waiting, as Kafka does.
func (c *Coordinator) DeleteOffsets(groupID string, partitions []TopicPartition) ([]error, error) {
	if groupID == "" {
		return nil, kerr.InvalidGroupID
	}
	s, err := c.lockShard(groupID)
	if err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	g := s.groups[groupID]
	if g == nil || g.is(Dead) {
		return nil, kerr.GroupIDNotFound
	}
	if !g.is(Empty) && g.protocolType != "consumer" {
		return nil, kerr.NonEmptyGroup
	}
	errs := make([]error, len(partitions))
	var recs []record
	for i, tp := range partitions {
		if !g.is(Empty) && g.subscribedTo(tp.Topic) {
			errs[i] = kerr.GroupSubscribedToTopic
			continue
		}
		g.dropPendingTxnOffsets(tp)
		if _, ok := g.offsets[tp]; ok {
			delete(g.offsets, tp)
			recs = append(recs, record{key: offsetKey(g.id, tp)})
		}
	}
	s.writeTombstones(recs)
	return errs, nil
}

// writeTombstones appends tombstones without waiting for replication; a
// failure is logged (the cache already forgot the entries, as Kafka's).
func (s *shard) writeTombstones(recs []record) {
	if len(recs) == 0 {
		return
	}
	s.write(recs, func(_ int64, err error) {
		if err != nil {
			s.c.logger.Warn("failed to write tombstones to __consumer_offsets", "partition", s.partition, "records", len(recs), "err", err)
		}
	})
}
