package group

import (
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/coordlog"
)

// BecameLeader tells the coordinator this broker leads an offsets
// partition at a leader epoch: its groups are loaded in the background,
// and requests for them get COORDINATOR_LOAD_IN_PROGRESS meanwhile. A
// partition already owned only takes the new epoch. It does not block.
func (c *Coordinator) BecameLeader(partition, epoch int32) {
	if partition < 0 || partition >= c.cfg.Partitions {
		return
	}
	s := c.shards[partition]
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.status != notOwned {
		s.epoch = max(s.epoch, epoch)
		return
	}
	select {
	case <-c.stop:
		return
	default:
	}
	s.incarnation++
	s.status, s.epoch = loading, epoch
	s.txnEndsWhileLoading = nil
	inc := s.incarnation
	c.loads.Add(1)
	go c.load(s, inc)
}

// BecameFollower tells the coordinator this broker no longer leads an
// offsets partition: its groups are forgotten and parked requests answered
// with NOT_COORDINATOR, so clients find the new coordinator.
func (c *Coordinator) BecameFollower(partition int32) {
	if partition < 0 || partition >= c.cfg.Partitions {
		return
	}
	s := c.shards[partition]
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.status != notOwned {
		c.logger.Info("unloading groups of __consumer_offsets partition", "partition", partition, "groups", len(s.groups))
		s.unloadLocked()
	}
}

// load reads the partition from its start and installs its groups, unless
// ownership changed meanwhile.
func (c *Coordinator) load(s *shard, inc uint64) {
	defer c.loads.Done()
	start := time.Now()
	st, err := c.readPartition(s, inc)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.incarnation != inc {
		return
	}
	if err != nil {
		c.logger.Error("failed to load __consumer_offsets partition; its groups are not served", "partition", s.partition, "err", err)
		s.status = notOwned
		s.incarnation++
		s.txnEndsWhileLoading = nil
		return
	}
	s.install(st)
	s.status = loaded
	s.replayTxnEnds()
	c.logger.Info("loaded groups and offsets", "partition", s.partition, "groups", len(s.groups), "records", st.records, "took", time.Since(start))
}

// loadState is a partition replayed: the latest value of every key, and
// the transactional offset commits of transactions still open.
type loadState struct {
	offsets map[string]map[TopicPartition]Offset
	groups  map[string]*kmsg.GroupMetadataValue
	// pending are transactional offsets by producer id, then group.
	pending map[int64]map[string]map[TopicPartition]Offset
	records int
}

func newLoadState() *loadState {
	return &loadState{
		offsets: map[string]map[TopicPartition]Offset{},
		groups:  map[string]*kmsg.GroupMetadataValue{},
		pending: map[int64]map[string]map[TopicPartition]Offset{},
	}
}

func (c *Coordinator) readPartition(s *shard, inc uint64) (*loadState, error) {
	st := newLoadState()
	err := coordlog.Replay(c.log, s.partition, c.cfg.LoadBufferBytes, "offsets.load.buffer.size",
		func() bool { return c.stillLoading(s, inc) }, decodeBatches,
		func(r decodedRecord) { st.apply(r, c) })
	if err != nil {
		return nil, err
	}
	return st, nil
}

func (c *Coordinator) stillLoading(s *shard, inc uint64) bool {
	select {
	case <-c.stop:
		return false
	default:
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.incarnation == inc
}

// apply replays one record: the latest value of a key wins, a tombstone
// deletes it; a transactional offset waits for its producer's marker.
func (st *loadState) apply(r decodedRecord, c *Coordinator) {
	st.records++
	if r.marker != nil {
		st.endTxn(r.producerID, r.marker.commit)
		return
	}
	if len(r.key) < 2 {
		return
	}
	switch version := int16(r.key[0])<<8 | int16(r.key[1]); version {
	case 0, 1:
		st.applyOffset(r, c)
	case 2:
		st.applyGroup(r, c)
	default:
		c.logger.Warn("unknown record key version in __consumer_offsets", "version", version, "offset", r.offset)
	}
}

func (st *loadState) applyOffset(r decodedRecord, c *Coordinator) {
	var k kmsg.OffsetCommitKey
	if err := k.ReadFrom(r.key); err != nil {
		c.logger.Warn("undecodable offset commit key", "offset", r.offset, "err", err)
		return
	}
	tp := TopicPartition{Topic: k.Topic, Partition: k.Partition}
	if r.value == nil {
		delete(st.offsetsOf(r, k.Group), tp)
		return
	}
	var v kmsg.OffsetCommitValue
	if err := v.ReadFrom(r.value); err != nil {
		c.logger.Warn("undecodable offset commit value", "offset", r.offset, "err", err)
		return
	}
	o := Offset{Offset: v.Offset, LeaderEpoch: -1, Metadata: v.Metadata, CommitTime: v.CommitTimestamp, ExpireTime: -1, logOffset: r.offset}
	if v.Version >= 3 {
		o.LeaderEpoch = v.LeaderEpoch
	}
	if v.Version == 1 {
		o.ExpireTime = v.ExpireTimestamp
	}
	st.offsetsOf(r, k.Group)[tp] = o
}

// offsetsOf returns where an offset record of the group goes: the
// committed offsets, or its producer's pending ones for a record of a
// transactional batch.
func (st *loadState) offsetsOf(r decodedRecord, groupID string) map[TopicPartition]Offset {
	if !r.transactional {
		return groupOffsets(st.offsets, groupID)
	}
	byGroup := st.pending[r.producerID]
	if byGroup == nil {
		byGroup = map[string]map[TopicPartition]Offset{}
		st.pending[r.producerID] = byGroup
	}
	return groupOffsets(byGroup, groupID)
}

func groupOffsets(byGroup map[string]map[TopicPartition]Offset, groupID string) map[TopicPartition]Offset {
	offs := byGroup[groupID]
	if offs == nil {
		offs = map[TopicPartition]Offset{}
		byGroup[groupID] = offs
	}
	return offs
}

// endTxn replays a marker: a commit makes the producer's pending offsets
// committed unless a later record of the partition already is (Kafka's
// CommitRecordMetadataAndOffset.olderThan); an abort drops them.
func (st *loadState) endTxn(producerID int64, commit bool) {
	if commit {
		for groupID, offs := range st.pending[producerID] {
			for tp, o := range offs {
				cur, ok := st.offsets[groupID][tp]
				if !ok || cur.logOffset < o.logOffset {
					groupOffsets(st.offsets, groupID)[tp] = o
				}
			}
		}
	}
	delete(st.pending, producerID)
}

func (st *loadState) applyGroup(r decodedRecord, c *Coordinator) {
	var k kmsg.GroupMetadataKey
	if err := k.ReadFrom(r.key); err != nil {
		c.logger.Warn("undecodable group metadata key", "offset", r.offset, "err", err)
		return
	}
	if r.value == nil {
		delete(st.groups, k.Group)
		return
	}
	v := new(kmsg.GroupMetadataValue)
	if err := v.ReadFrom(r.value); err != nil {
		c.logger.Warn("undecodable group metadata value", "offset", r.offset, "err", err)
		return
	}
	st.groups[k.Group] = v
}

// install builds the loaded groups: Stable with their members (whose
// sessions start now) or Empty; groups known only by offsets (committed
// or pending in an open transaction) are Empty.
func (s *shard) install(st *loadState) {
	for id, v := range st.groups {
		s.groups[id] = s.restoreGroup(id, v)
	}
	for id, offs := range st.offsets {
		if g := s.loadedGroup(id, len(offs)); g != nil {
			g.offsets = offs
		}
	}
	for pid, byGroup := range st.pending {
		for id, offs := range byGroup {
			if g := s.loadedGroup(id, len(offs)); g != nil {
				g.txnOffsets[pid] = offs
				s.indexTxn(pid, id)
			}
		}
	}
	for _, g := range s.groups {
		for _, m := range g.members {
			s.heartbeatAfter(g, m, m.sessionTimeout)
		}
	}
}

// loadedGroup returns the group being installed, creating an Empty one
// for n > 0 offsets of a group without metadata; nil when there is none.
func (s *shard) loadedGroup(id string, n int) *group {
	g := s.groups[id]
	if g == nil && n > 0 {
		g = newGroup(id, s.c.now())
		s.groups[id] = g
	}
	return g
}

func (s *shard) restoreGroup(id string, v *kmsg.GroupMetadataValue) *group {
	g := newGroup(id, s.c.now())
	g.protocolType, g.generation = v.ProtocolType, v.Generation
	if v.Protocol != nil {
		g.protocol = *v.Protocol
	}
	if v.CurrentStateTimestamp > 0 {
		g.stateTime = time.UnixMilli(v.CurrentStateTimestamp)
	}
	for _, mv := range v.Members {
		m := &member{
			id: mv.MemberID, instanceID: mv.InstanceID, clientID: mv.ClientID, clientHost: mv.ClientHost,
			rebalanceTimeout: time.Duration(mv.RebalanceTimeoutMillis) * time.Millisecond,
			sessionTimeout:   time.Duration(mv.SessionTimeoutMillis) * time.Millisecond,
			protocolType:     v.ProtocolType, assignment: mv.Assignment,
			protocols: []Protocol{{Name: g.protocol, Metadata: mv.Subscription}},
		}
		g.add(m)
	}
	if v.Leader != nil && g.has(*v.Leader) {
		g.leader = *v.Leader
	}
	if len(g.members) > 0 {
		g.state = Stable
	}
	return g
}
