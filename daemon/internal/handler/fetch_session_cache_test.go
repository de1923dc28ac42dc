package handler

import (
	"math"
	"slices"
	"testing"
	"time"
)

// TestFetchSessionEviction: with every slot taken, a new session evicts as
// Kafka's FetchSessionCache.tryEvict: the least recently used session once
// stale; else a follower evicts the smallest consumer session (or follower
// session past the eviction age); else a consumer evicts the smallest
// session past the eviction age, if its own is larger.
func TestFetchSessionEviction(t *testing.T) {
	start := time.Unix(1_000_000, 0)
	type existing struct {
		id         int32
		privileged bool
		size       int
		created    time.Duration // after start
		used       time.Duration // after start
	}
	const now = 200 * time.Second
	tests := []struct {
		name       string
		existing   []existing
		privileged bool
		size       int
		evicted    int32 // 0: no session created
	}{
		{name: "stale least recently used goes first",
			existing: []existing{{id: 1, size: 1, used: 10 * time.Second}, {id: 2, size: 1, used: 190 * time.Second}}, size: 1, evicted: 1},
		{name: "stale even if privileged and large",
			existing: []existing{{id: 1, privileged: true, size: 50, used: 70 * time.Second}, {id: 2, size: 1, used: 190 * time.Second}}, size: 1, evicted: 1},
		{name: "consumer cannot evict a young consumer",
			existing: []existing{{id: 1, size: 1, created: 150 * time.Second, used: 190 * time.Second}}, size: 5},
		{name: "consumer evicts an old smaller consumer",
			existing: []existing{{id: 1, size: 3, used: 190 * time.Second}, {id: 2, size: 2, used: 195 * time.Second}}, size: 5, evicted: 2},
		{name: "consumer cannot evict an old session of its size",
			existing: []existing{{id: 1, size: 5, used: 190 * time.Second}}, size: 5},
		{name: "consumer cannot evict an old follower",
			existing: []existing{{id: 1, privileged: true, size: 1, used: 190 * time.Second}}, size: 5},
		{name: "follower evicts the smallest young consumer",
			existing:   []existing{{id: 1, size: 9, created: 150 * time.Second, used: 190 * time.Second}, {id: 2, size: 4, created: 150 * time.Second, used: 195 * time.Second}},
			privileged: true, size: 1, evicted: 2},
		{name: "follower cannot evict a young follower",
			existing: []existing{{id: 1, privileged: true, size: 1, created: 150 * time.Second, used: 190 * time.Second}}, privileged: true, size: 9},
		{name: "follower evicts an old smaller follower",
			existing: []existing{{id: 1, privileged: true, size: 1, used: 190 * time.Second}}, privileged: true, size: 9, evicted: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newFetchSessionCache()
			c.now = func() time.Time { return start.Add(now) }
			for _, e := range tc.existing {
				s := &fetchSession{id: e.id, privileged: e.privileged, created: start.Add(e.created), lastUsed: start.Add(e.used),
					index: map[sessionKey]*sessionPartition{}}
				for p := range e.size {
					s.add(&sessionPartition{key: sessionKey{topic: "t", partition: int32(p)}})
				}
				c.shards[0][e.id] = s // the shard of the next session
			}
			parts := make([]*sessionPartition, tc.size)
			for p := range parts {
				parts[p] = &sessionPartition{key: sessionKey{topic: "n", partition: int32(p)}}
			}
			id := c.create(fetchSessionShards*len(tc.existing), tc.privileged, false, parts)
			if (id != 0) != (tc.evicted != 0) {
				t.Fatalf("created session %d, want one: %v", id, tc.evicted != 0)
			}
			if tc.evicted != 0 && c.get(tc.evicted) != nil {
				t.Fatalf("session %d kept, want it evicted", tc.evicted)
			}
			if len(c.shards[0]) != len(tc.existing) {
				t.Fatalf("%d sessions, want %d (the shard's slots)", len(c.shards[0]), len(tc.existing))
			}
		})
	}
}

// TestFetchSessionShards: the slots are split over 8 shards used in turn,
// each handing out ids of its own range, as Kafka 3.9's cache; fewer than
// 8 slots keep no session.
func TestFetchSessionShards(t *testing.T) {
	for _, slots := range []int{0, 7, 8, 16, 20} {
		c := newFetchSessionCache()
		perShard := slots / fetchSessionShards
		created := 0
		for i := range fetchSessionShards*perShard + fetchSessionShards {
			id := c.create(slots, false, false, nil)
			if id == 0 {
				continue
			}
			created++
			if shard := int(id / sessionIDRange); shard != i%fetchSessionShards || c.get(id) == nil {
				t.Fatalf("slots %d: session %d of request %d in shard %d, want shard %d", slots, id, i, shard, i%fetchSessionShards)
			}
		}
		if created != fetchSessionShards*perShard {
			t.Fatalf("slots %d: %d sessions kept, want %d", slots, created, fetchSessionShards*perShard)
		}
	}
	c := newFetchSessionCache()
	for _, id := range []int32{0, -1, math.MaxInt32} {
		if c.get(id) != nil || c.shardOf(id) != nil {
			t.Fatalf("id %d has a shard", id)
		}
	}
}

// TestFetchSessionOrder: partitions that returned records move to the end.
func TestFetchSessionOrder(t *testing.T) {
	s := &fetchSession{index: map[sessionKey]*sessionPartition{}}
	var ps []*sessionPartition
	for p := range 4 {
		ps = append(ps, &sessionPartition{key: sessionKey{topic: "t", partition: int32(p)}})
		s.add(ps[p])
	}
	s.moveToEnd([]*sessionPartition{ps[0], ps[2]})
	var got []int32
	for _, p := range s.parts {
		got = append(got, p.key.partition)
	}
	if want := []int32{1, 3, 0, 2}; !slices.Equal(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
}
