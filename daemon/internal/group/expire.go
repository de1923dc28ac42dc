package group

import "time"

// StartExpiry sweeps expired offsets every offsets.retention.check.interval.ms
// until Close.
func (c *Coordinator) StartExpiry() {
	if c.cfg.RetentionCheckInterval <= 0 {
		return
	}
	var tick func()
	tick = func() {
		select {
		case <-c.stop:
			return
		default:
		}
		c.ExpireOffsets()
		c.clock.AfterFunc(c.cfg.RetentionCheckInterval, tick)
	}
	c.clock.AfterFunc(c.cfg.RetentionCheckInterval, tick)
}

// ExpireOffsets removes offsets past offsets.retention.minutes, as Kafka's
// cleanupGroupMetadata, writing tombstones; an empty group left without
// offsets is deleted. It returns how many offsets expired.
func (c *Coordinator) ExpireOffsets() int {
	now := c.expiryClock.Now()
	n := 0
	for _, s := range c.shards {
		s.mu.Lock()
		if s.status == loaded {
			n += s.expire(now)
		}
		s.mu.Unlock()
	}
	return n
}

func (s *shard) expire(now time.Time) int {
	var recs []record
	n := 0
	for _, g := range s.groups {
		for _, tp := range g.expiredOffsets(now, s.c.cfg.OffsetsRetention) {
			delete(g.offsets, tp)
			recs = append(recs, record{key: offsetKey(g.id, tp)})
			n++
		}
		// A group whose offsets wait for a transaction's end is kept
		// (Kafka's hasOffsets counts them).
		if g.is(Empty) && len(g.offsets) == 0 && len(g.inflight) == 0 && len(g.txnOffsets) == 0 {
			s.transition(g, Dead)
			delete(s.groups, g.id)
			recs = append(recs, record{key: groupKey(g.id)})
		}
	}
	s.writeTombstones(recs)
	return n
}

// expiredOffsets applies Kafka's rules: an empty group's offsets expire
// retention after it became empty (a group that only commits: after each
// commit); a stable consumer group's, retention after their commit, for
// topics it no longer subscribes to; an explicit expiry (old clients)
// always wins.
func (g *group) expiredOffsets(now time.Time, retention time.Duration) []TopicPartition {
	nowMs, ret := now.UnixMilli(), retention.Milliseconds()
	var base func(o Offset) int64
	subscribed := map[string]bool{}
	switch {
	case g.is(Empty) && g.protocolType != "":
		stateMs := g.stateTime.UnixMilli()
		base = func(Offset) int64 { return stateMs }
	case g.is(Empty):
		base = func(o Offset) int64 { return o.CommitTime }
	case g.is(Stable) && g.protocolType == "consumer":
		topics, ok := g.subscribedTopics()
		if !ok {
			return nil
		}
		subscribed = topics
		base = func(o Offset) int64 { return o.CommitTime }
	default:
		return nil
	}
	var out []TopicPartition
	for _, tp := range g.committedPartitions() {
		o := g.offsets[tp]
		if subscribed[tp.Topic] || g.inflight[tp] > 0 {
			continue
		}
		if (o.ExpireTime >= 0 && nowMs >= o.ExpireTime) || (o.ExpireTime < 0 && nowMs-base(o) >= ret) {
			out = append(out, tp)
		}
	}
	return out
}
