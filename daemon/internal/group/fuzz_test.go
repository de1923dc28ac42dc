package group

import (
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/kqhq/kq/daemon/internal/coordlog"
)

// FuzzLoadRecords feeds arbitrary bytes to what loading reads from
// __consumer_offsets: batch and record decoding, then the key and value
// decoders. Nothing may panic, and a decoded group must install.
func FuzzLoadRecords(f *testing.F) {
	g := newGroup("g", time.UnixMilli(1))
	g.protocolType, g.protocol, g.generation = "consumer", "range", 3
	g.add(&member{id: "m", clientID: "c", protocols: []Protocol{{Name: "range", Metadata: []byte{1}}}, assignment: []byte{2}})
	f.Add(encodeBatch([]record{
		{key: offsetKey("g", TopicPartition{"t", 1}), value: offsetValue(Offset{Offset: 5, LeaderEpoch: 1, ExpireTime: -1})},
		{key: groupKey("g"), value: groupValue(g)},
		{key: offsetKey("g", TopicPartition{"t", 1})},
	}, 1))
	// A transactional offset commit, then its producer's commit marker
	// and another producer's abort.
	txn := encodeProducerBatch([]record{{key: offsetKey("g", TopicPartition{"t", 2}), value: offsetValue(Offset{Offset: 7, ExpireTime: -1})}},
		1, coordlog.Producer{ID: 9, Epoch: 2, Transactional: true})
	f.Add(slices.Concat(txn, markerBatch(9, 2, true), markerBatch(8, 0, false)))
	f.Add([]byte{})
	c := New(Options{Config: testConfig(), Log: newMemLog(), Clock: newFakeClock(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, _, err := decodeBatches(data)
		if err != nil {
			return
		}
		st := newLoadState()
		for _, r := range recs {
			st.apply(r, c)
		}
		s := &shard{c: c, groups: map[string]*group{}}
		s.install(st)
	})
}
