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

// fetchSessionCache holds the incremental fetch sessions (KIP-227), at most
// max.incremental.fetch.session.cache.slots of them. One mutex guards the
// cache and every session in it: each operation is short (a pass over one
// session's partitions), and a single lock leaves no ordering to get wrong.
type fetchSessionCache struct {
	mu       sync.Mutex
	sessions map[int32]*fetchSession
	now      func() time.Time
	newID    func() int32
}

func newFetchSessionCache() *fetchSessionCache {
	return &fetchSessionCache{
		sessions: map[int32]*fetchSession{},
		now:      time.Now,
		newID:    func() int32 { return 1 + rand.Int32N(math.MaxInt32-1) },
	}
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
	delete(c.sessions, id)
}

// create adds a session when a slot is free or one may be evicted for it,
// returning its id, or 0 (no session: the client keeps sending full
// fetches).
func (c *fetchSessionCache) create(slots int, privileged, usesIDs bool, parts []*sessionPartition) int32 {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if len(c.sessions) >= slots && (slots <= 0 || !c.evictLocked(privileged, len(parts), now)) {
		return 0
	}
	s := &fetchSession{privileged: privileged, usesIDs: usesIDs, created: now, lastUsed: now,
		epoch: nextSessionEpoch(initialSessionEpoch), index: make(map[sessionKey]*sessionPartition, len(parts))}
	for _, p := range parts {
		s.add(p)
	}
	for s.id == 0 || c.sessions[s.id] != nil {
		s.id = c.newID()
	}
	c.sessions[s.id] = s
	return s.id
}

// evictLocked frees a slot for a new session as Kafka's tryEvict: the least
// recently used session if it is stale; else, for a follower, the smallest
// session of a consumer (or of a follower, once older than the eviction
// age); else, for a consumer, the smallest session older than the eviction
// age if it is smaller than the new one.
func (c *fetchSessionCache) evictLocked(privileged bool, size int, now time.Time) bool {
	var lru, victim *fetchSession
	newKey := evictKey{privileged: privileged, size: size}
	for _, s := range c.sessions {
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
	delete(c.sessions, victim.id)
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
