package handler

import (
	"math"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// sessionEvictionAge is Kafka's MIN_INCREMENTAL_FETCH_SESSION_EVICTION_MS:
// a session unused this long may be evicted by any new one, and only a
// session older than this may be evicted by a larger one.
const sessionEvictionAge = 120 * time.Second

// fetchSessionShards is Kafka's NumFetchSessionCacheShards: the cache is
// split into shards of max.incremental.fetch.session.cache.slots / 8
// sessions each (so fewer than 8 slots keep no session, as in Kafka 3.9),
// new sessions go to the shards in turn, each shard owns a range of
// session ids, and eviction frees a slot within the new session's shard.
const fetchSessionShards = 8

// sessionIDRange is the size of each shard's range of session ids.
const sessionIDRange = math.MaxInt32 / fetchSessionShards

// fetchSessionCache holds the incremental fetch sessions (KIP-227). One
// mutex guards the cache and every session in it: each operation is short
// (a pass over one session's partitions), and a single lock leaves no
// ordering to get wrong.
type fetchSessionCache struct {
	mu     sync.Mutex
	shards [fetchSessionShards]map[int32]*fetchSession
	next   int // the shard of the next new session
	now    func() time.Time
	// newID picks an id in [lo, hi).
	newID func(lo, hi int32) int32
}

func newFetchSessionCache() *fetchSessionCache {
	c := &fetchSessionCache{
		now:   time.Now,
		newID: func(lo, hi int32) int32 { return lo + rand.Int32N(hi-lo) },
	}
	for i := range c.shards {
		c.shards[i] = map[int32]*fetchSession{}
	}
	return c
}

// shardOf returns the shard owning a session id, nil for an id no shard
// hands out.
func (c *fetchSessionCache) shardOf(id int32) map[int32]*fetchSession {
	if id <= 0 || id/sessionIDRange >= fetchSessionShards {
		return nil
	}
	return c.shards[id/sessionIDRange]
}

// get returns a session, or nil.
func (c *fetchSessionCache) get(id int32) *fetchSession {
	return c.shardOf(id)[id]
}

// fetchSession is one client's session: the partitions it fetches, in
// Kafka's order (partitions that returned records move to the end, so
// others come first under max_bytes next time), with what it was last told.
type fetchSession struct {
	id         int32
	privileged bool // a follower's session
	usesIDs    bool // Fetch v13+: partitions keyed by topic id
	created    time.Time
	lastUsed   time.Time
	epoch      int32 // the epoch the next incremental request must carry
	parts      []*sessionPartition
	index      map[sessionKey]*sessionPartition
}

// sessionKey names a partition by topic id (v13+) or by name.
type sessionKey struct {
	topic     string
	topicID   [16]byte
	partition int32
}

// sessionPartition is a partition's last request data and the offsets its
// last response carried (-1 forces the next response to include it).
type sessionPartition struct {
	key      sessionKey
	topic    string
	topicID  [16]byte
	req      kmsg.FetchRequestTopicPartition
	hw       int64
	logStart int64
}

func sessionKeyOf(usesIDs bool, topic string, topicID [16]byte, partition int32) sessionKey {
	if usesIDs {
		return sessionKey{topicID: topicID, partition: partition}
	}
	return sessionKey{topic: topic, partition: partition}
}

// nextSessionEpoch is Kafka's FetchMetadata.nextEpoch.
func nextSessionEpoch(epoch int32) int32 {
	switch {
	case epoch < 0:
		return finalSessionEpoch
	case epoch == math.MaxInt32:
		return 1
	}
	return epoch + 1
}

// remove drops a session, if any.
func (c *fetchSessionCache) remove(id int32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.removeLocked(id)
}

func (c *fetchSessionCache) removeLocked(id int32) {
	if shard := c.shardOf(id); shard != nil {
		delete(shard, id)
	}
}

// create adds a session when a slot is free or one may be evicted for it,
// returning its id, or 0 (no session: the client keeps sending full
// fetches).
func (c *fetchSessionCache) create(slots int, privileged, usesIDs bool, parts []*sessionPartition) int32 {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	n := c.next
	c.next = (c.next + 1) % fetchSessionShards
	shard := c.shards[n]
	if len(shard) >= slots/fetchSessionShards && !evictLocked(shard, privileged, len(parts), now) {
		return 0
	}
	s := &fetchSession{privileged: privileged, usesIDs: usesIDs, created: now, lastUsed: now,
		epoch: nextSessionEpoch(initialSessionEpoch), index: make(map[sessionKey]*sessionPartition, len(parts))}
	for _, p := range parts {
		s.add(p)
	}
	lo, hi := max(1, int32(n)*sessionIDRange), int32(n+1)*sessionIDRange
	for s.id == 0 || shard[s.id] != nil {
		s.id = c.newID(lo, hi)
	}
	shard[s.id] = s
	return s.id
}

// evictLocked frees a slot of a shard as Kafka's tryEvict: the least
// recently used session if it is stale; else, for a follower, the smallest
// session of a consumer (or of a follower, once older than the eviction
// age); else, for a consumer, the smallest session older than the eviction
// age if it is smaller than the new one.
func evictLocked(shard map[int32]*fetchSession, privileged bool, size int, now time.Time) bool {
	var lru, victim *fetchSession
	newKey := evictKey{privileged: privileged, size: size}
	for _, s := range shard {
		if lru == nil || s.lastUsed.Before(lru.lastUsed) || (s.lastUsed.Equal(lru.lastUsed) && s.id < lru.id) {
			lru = s
		}
		old := s.lastUsed.Sub(s.created) > sessionEvictionAge
		if !old && !(privileged && !s.privileged) {
			continue
		}
		if victim == nil || s.evictKey().less(victim.evictKey()) {
			victim = s
		}
	}
	switch {
	case lru == nil:
		return false
	case now.Sub(lru.lastUsed) > sessionEvictionAge:
		victim = lru
	case victim == nil || newKey.less(victim.evictKey()):
		return false
	}
	delete(shard, victim.id)
	return true
}

// evictKey orders sessions by how cheaply they go: consumers before
// followers, smaller before larger (Kafka's EvictableKey).
type evictKey struct {
	privileged bool
	size       int
	id         int32
}

func (s *fetchSession) evictKey() evictKey {
	return evictKey{privileged: s.privileged, size: len(s.parts), id: s.id}
}

func (k evictKey) less(o evictKey) bool {
	if k.privileged != o.privileged {
		return !k.privileged
	}
	if k.size != o.size {
		return k.size < o.size
	}
	return k.id < o.id
}

func (s *fetchSession) add(p *sessionPartition) {
	if old, ok := s.index[p.key]; ok {
		old.req = p.req
		return
	}
	s.index[p.key] = p
	s.parts = append(s.parts, p)
}

// forget removes partitions from the session.
func (s *fetchSession) forget(keys []sessionKey) {
	if len(keys) == 0 {
		return
	}
	for _, k := range keys {
		delete(s.index, k)
	}
	kept := s.parts[:0]
	for _, p := range s.parts {
		if s.index[p.key] == p {
			kept = append(kept, p)
		}
	}
	clear(s.parts[len(kept):])
	s.parts = kept
}
