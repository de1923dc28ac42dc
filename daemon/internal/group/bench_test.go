package group

import (
	"fmt"
	"io"
	"log/slog"
	"testing"
)

// BenchmarkCommitOffsets commits 10 partitions per request for 100 groups,
// writes settled at once: the coordinator's own cost per commit.
func BenchmarkCommitOffsets(b *testing.B) {
	log := newMemLog()
	c := New(Options{Config: testConfig(), Log: log, Clock: newFakeClock(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	for p := range c.cfg.Partitions {
		c.BecameLeader(p, 0)
	}
	waitAllLoaded(b, c)
	reqs := make([]CommitRequest, 100)
	for i := range reqs {
		reqs[i] = CommitRequest{Group: fmt.Sprintf("group-%d", i), Generation: -1, RetentionMs: -1}
		for p := range int32(10) {
			reqs[i].Offsets = append(reqs[i].Offsets, CommitOffset{TopicPartition: TopicPartition{"topic", p}, Offset: 1, LeaderEpoch: -1, Timestamp: -1})
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		c.CommitOffsets(reqs[i%len(reqs)], func([]error) {})
		log.settle()
	}
}

// BenchmarkLoad replays a partition of 100,000 offset commits (1,000 groups
// x 10 partitions, 10 commits each), as a new coordinator does.
func BenchmarkLoad(b *testing.B) {
	log := newMemLog()
	var size int
	for round := range 10 {
		for g := range 1000 {
			var recs []record
			for p := range int32(10) {
				o := Offset{Offset: int64(round), LeaderEpoch: 1, CommitTime: 1, ExpireTime: -1}
				recs = append(recs, record{key: offsetKey(fmt.Sprintf("group-%d", g), TopicPartition{"topic", p}), value: offsetValue(o)})
			}
			batch := encodeBatch(recs, 1)
			size += len(batch)
			log.Append(0, 0, batch, func(error) {})
		}
	}
	log.pending = nil
	cfg := testConfig()
	cfg.Partitions = 1
	b.SetBytes(int64(size))
	b.ResetTimer()
	for range b.N {
		c := New(Options{Config: cfg, Log: log, Clock: newFakeClock(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		c.BecameLeader(0, 0)
		waitAllLoaded(b, c)
		c.Close()
	}
}

func waitAllLoaded(b *testing.B, c *Coordinator) {
	b.Helper()
	c.loads.Wait()
	for _, s := range c.shards {
		s.mu.Lock()
		st := s.status
		s.mu.Unlock()
		if st != loaded {
			b.Fatalf("partition %d not loaded", s.partition)
		}
	}
}
