package txn

import (
	"context"
	"time"

	"github.com/kqhq/kq/daemon/internal/coordlog"
)

// BecameLeader tells the coordinator this broker leads a
// __transaction_state partition at a leader epoch (the coordinator epoch
// of the markers it sends). The partition is loaded in the background;
// meanwhile its transactional ids get COORDINATOR_LOAD_IN_PROGRESS. Once
// loaded, transactions found prepared (PrepareCommit, PrepareAbort) are
// completed: their markers are sent again. A partition already owned only
// takes the newer epoch. It does not block.
func (c *Coordinator) BecameLeader(partition, leaderEpoch int32) {
	if partition < 0 || partition >= c.cfg.Partitions {
		return
	}
	s := c.shards[partition]
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.status != notOwned {
		s.epoch = max(s.epoch, leaderEpoch)
		return
	}
	if c.ctx.Err() != nil {
		return
	}
	s.incarnation++
	s.status, s.epoch = loading, leaderEpoch
	inc := s.incarnation
	c.loads.Add(1)
	go c.load(s, inc)
}

// BecameFollower tells the coordinator this broker no longer leads a
// __transaction_state partition: its transactional ids are forgotten
// (NOT_COORDINATOR from now on) and its marker jobs abandoned.
func (c *Coordinator) BecameFollower(partition int32) {
	if partition < 0 || partition >= c.cfg.Partitions {
		return
	}
	s := c.shards[partition]
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.status != notOwned {
		c.logger.Info("unloading transactional ids of __transaction_state partition", "partition", partition, "ids", len(s.txns))
		s.unloadLocked()
	}
}

// load reads the partition from its start and installs its transactional
// ids, unless ownership changed meanwhile.
func (c *Coordinator) load(s *shard, inc uint64) {
	defer c.loads.Done()
	start := time.Now()
	txns, records, err := c.readPartition(s, inc)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.incarnation != inc || c.ctx.Err() != nil {
		return
	}
	if err != nil {
		c.logger.Error("failed to load __transaction_state partition; its transactional ids are not served", "partition", s.partition, "err", err)
		s.status = notOwned
		s.incarnation++
		return
	}
	now := c.now()
	for _, m := range txns {
		m.startMono, m.updateMono = c.sinceWall(m.start, now), c.sinceWall(m.lastUpdate, now)
	}
	s.txns = txns
	s.ctx, s.cancel = context.WithCancel(c.ctx)
	s.status = loaded
	c.logger.Info("loaded transactional ids", "partition", s.partition, "ids", len(txns), "records", records, "took", time.Since(start))
	s.resumeLocked()
}

func (c *Coordinator) readPartition(s *shard, inc uint64) (map[string]*txnMeta, int, error) {
	txns := map[string]*txnMeta{}
	records := 0
	err := coordlog.Replay(c.log, s.partition, c.cfg.LoadBufferBytes, "transaction.state.log.load.buffer.size",
		func() bool { return c.stillLoading(s, inc) }, decodeBatches,
		func(r decodedRecord) {
			records++
			c.applyRecord(txns, r)
		})
	if err != nil {
		return nil, 0, err
	}
	return txns, records, nil
}

func (c *Coordinator) stillLoading(s *shard, inc uint64) bool {
	if c.ctx.Err() != nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.incarnation == inc
}

// applyRecord replays one record: the latest value of a key wins, a
// tombstone deletes it. Records that cannot be read are skipped, counted
// and logged.
func (c *Coordinator) applyRecord(txns map[string]*txnMeta, r decodedRecord) {
	id, ok, err := decodeKey(r.key)
	if err == nil && !ok {
		c.logger.Warn("unknown key version in __transaction_state; record skipped", "offset", r.offset)
		return
	}
	if err != nil {
		c.skipRecord(r, err)
		return
	}
	if r.value == nil {
		delete(txns, id)
		return
	}
	m, err := decodeValue(id, r.value)
	if err != nil {
		c.skipRecord(r, err)
		return
	}
	txns[id] = m
}

func (c *Coordinator) skipRecord(r decodedRecord, err error) {
	c.loadErrors.Add(1)
	c.logger.Error("undecodable __transaction_state record skipped", "offset", r.offset, "err", err)
}

// resumeLocked finishes what the previous coordinator left: prepared
// transactions get their markers (again) and then complete. Kafka never
// writes Dead or PrepareEpochFence; should a log hold them, a Dead id is
// forgotten and a fenced one is Ongoing again (the timeout aborts it).
func (s *shard) resumeLocked() {
	for id, m := range s.txns {
		switch m.state {
		case PrepareCommit, PrepareAbort:
			s.c.logger.Info("completing a prepared transaction after load", "transactional.id", id, "state", m.state)
			s.sendMarkers(m)
		case Dead:
			delete(s.txns, id)
		case PrepareEpochFence:
			m.state = Ongoing
		}
	}
}
