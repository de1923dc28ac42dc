package group

import (
	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/daemon/internal/coordlog"
)

// Transactional offset commits (KIP-98): a transactional producer commits
// a consumer group's offsets inside its transaction (TxnOffsetCommit).
// They are written at once, as a transactional batch of the producer, but
// stay pending per producer id, invisible to OffsetFetch, until the
// transaction coordinator writes the producer's marker to the group's
// __consumer_offsets partition: a commit makes them the group's offsets
// (unless a later record of the partition already is), an abort drops
// them (Kafka's GroupMetadata pendingTransactionalOffsetCommits).

// TxnCommitRequest is a TxnOffsetCommit request.
type TxnCommitRequest struct {
	TransactionalID string
	Group           string
	ProducerID      int64
	ProducerEpoch   int16
	// Generation, MemberID and InstanceID (v3+, KIP-447) name the consumer
	// the offsets belong to: -1, "" and nil before v3, and then nothing is
	// checked against the group's members.
	Generation int32
	MemberID   string
	InstanceID *string
	Offsets    []CommitOffset
}

// CommitTxnOffsets handles a TxnOffsetCommit: respond gets one error (or
// nil) per offset, once the batch is written to all in-sync replicas. It
// is called exactly once, possibly under the coordinator's locks.
func (c *Coordinator) CommitTxnOffsets(req TxnCommitRequest, respond func([]error)) {
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
		g = newGroup(req.Group, c.now())
		s.groups[req.Group] = g
	}
	if err := validateTxnCommit(g, req); err != nil {
		fail(err)
		return
	}
	s.commitTxn(g, req, respond)
}

// validateTxnCommit is Kafka's validateOffsetCommit for a transactional
// commit: without a generation or member (clients before KIP-447) any
// group takes it; otherwise the member must be current.
func validateTxnCommit(g *group, req TxnCommitRequest) error {
	switch {
	case g.is(Dead):
		return kerr.CoordinatorNotAvailable
	case req.Generation < 0 && g.is(Empty):
		return nil
	case req.Generation >= 0 || req.MemberID != "" || req.InstanceID != nil:
		if err := g.validateCurrentMember(req.MemberID, req.InstanceID); err != nil {
			return err
		}
		if req.Generation != g.generation {
			return kerr.IllegalGeneration
		}
	}
	return nil
}

// validateCurrentMember checks that the instance id, when given, belongs
// to the member, and that the member is in the group.
func (g *group) validateCurrentMember(memberID string, instanceID *string) error {
	if instanceID != nil {
		cur, ok := g.static[*instanceID]
		switch {
		case !ok:
			return kerr.UnknownMemberID
		case cur != memberID:
			return kerr.FencedInstanceID
		}
	}
	if !g.has(memberID) {
		return kerr.UnknownMemberID
	}
	return nil
}

// commitTxn writes the valid offsets as one transactional batch of the
// producer and keeps them pending; they are answered once committed.
func (s *shard) commitTxn(g *group, req TxnCommitRequest, respond func([]error)) {
	errs := make([]error, len(req.Offsets))
	now := s.c.now().UnixMilli()
	var recs []record
	var idx []int
	var offs []Offset
	for i, co := range req.Offsets {
		o := Offset{Offset: co.Offset, LeaderEpoch: co.LeaderEpoch, CommitTime: now, ExpireTime: -1, logOffset: -1}
		if co.Metadata != nil {
			o.Metadata = *co.Metadata
		}
		if len(o.Metadata) > s.c.cfg.MaxMetadataBytes {
			errs[i] = kerr.OffsetMetadataTooLarge
			continue
		}
		recs = append(recs, record{key: offsetKey(g.id, co.TopicPartition), value: offsetValue(o)})
		idx, offs = append(idx, i), append(offs, o)
	}
	if len(recs) == 0 {
		respond(errs)
		return
	}
	pid := req.ProducerID
	pending := g.txnOffsets[pid]
	if pending == nil {
		pending = map[TopicPartition]Offset{}
		g.txnOffsets[pid] = pending
	}
	for j, i := range idx {
		pending[req.Offsets[i].TopicPartition] = offs[j]
	}
	s.indexTxn(pid, g.id)
	p := coordlog.Producer{ID: pid, Epoch: req.ProducerEpoch, Transactional: true}
	base := s.writeAs(recs, p, func(_ int64, err error) {
		for j, i := range idx {
			s.settleTxnCommit(g, pid, req.Offsets[i].TopicPartition, offs[j], err)
			errs[i] = offsetWriteError(err)
		}
		respond(errs)
	})
	if base >= 0 {
		s.placePending(g, pid, req, idx, offs, base)
	}
}

// placePending notes where each pending offset's record sits, once the
// batch is appended: a marker ends only the offsets written before it.
func (s *shard) placePending(g *group, pid int64, req TxnCommitRequest, idx []int, offs []Offset, base int64) {
	pending := g.txnOffsets[pid]
	for j, i := range idx {
		tp := req.Offsets[i].TopicPartition
		placed := offs[j]
		placed.logOffset = base + int64(j)
		if cur, ok := pending[tp]; ok && cur == offs[j] {
			pending[tp] = placed
		}
		offs[j] = placed
	}
}

// settleTxnCommit ends the write of one pending offset: a failed write
// leaves the pending set. A pending offset replaced by a later commit, or
// already ended by a marker, is left alone.
func (s *shard) settleTxnCommit(g *group, pid int64, tp TopicPartition, o Offset, err error) {
	if err == nil || s.groups[g.id] != g {
		return
	}
	pending := g.txnOffsets[pid]
	if cur, ok := pending[tp]; !ok || cur != o {
		return
	}
	delete(pending, tp)
	if len(pending) == 0 {
		delete(g.txnOffsets, pid)
	}
}

// hasPendingCommit reports whether a commit of the partition is not
// settled: written but not yet replicated, or in an open transaction
// (Kafka's hasPendingOffsetCommitsForTopicPartition).
func (g *group) hasPendingCommit(tp TopicPartition) bool {
	if g.inflight[tp] > 0 {
		return true
	}
	for _, pending := range g.txnOffsets {
		if _, ok := pending[tp]; ok {
			return true
		}
	}
	return false
}

// dropPendingTxnOffsets forgets the partition's transactional offsets of
// every producer (its offsets are being deleted, as Kafka's removeOffsets).
func (g *group) dropPendingTxnOffsets(tp TopicPartition) {
	for pid, pending := range g.txnOffsets {
		delete(pending, tp)
		if len(pending) == 0 {
			delete(g.txnOffsets, pid)
		}
	}
}

// completeTxn ends the producer's transaction in the group: on commit
// each pending offset becomes the partition's committed offset unless a
// later record of the partition already is (Kafka's
// completePendingTxnOffsetCommit); on abort they are dropped. Offsets
// written after the marker stay pending.
func (s *shard) completeTxn(g *group, pid int64, commit bool, markerOffset int64) {
	pending := g.txnOffsets[pid]
	for tp, o := range pending {
		if o.logOffset > markerOffset {
			continue
		}
		delete(pending, tp)
		if commit {
			s.commitPending(g, tp, o)
		}
	}
	if len(pending) == 0 {
		delete(g.txnOffsets, pid)
	}
}

func (s *shard) commitPending(g *group, tp TopicPartition, o Offset) {
	if cur, ok := g.offsets[tp]; !ok || cur.logOffset < o.logOffset {
		g.offsets[tp] = o
	}
}
