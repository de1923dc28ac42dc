package txn

import (
	"log/slog"
	"testing"
)

// FuzzLoadRecords feeds arbitrary bytes to what loading reads from
// __transaction_state: batch and record decoding, then the key and value
// decoders. Nothing may panic; bad records are skipped and counted.
func FuzzLoadRecords(f *testing.F) {
	f.Add(encodeBatch([]record{
		{key: txnKey("tx"), value: txnValue(transit{producerID: 1, epoch: 2, timeoutMs: 3, state: Ongoing, partitions: []TopicPartition{{"t", 1}}, start: 4, lastUpdate: 5})},
		{key: txnKey("e"), value: txnValue(transit{producerID: 1, state: Empty, start: -1})},
		{key: txnKey("tx")},
	}, 1))
	f.Add([]byte{})
	c := New(Options{Config: testConfig(), Log: newMemLog(), Markers: &fakeMarkers{}, ProducerIDs: &fakePIDs{}, Clock: newFakeClock(),
		Logger: slog.New(slog.DiscardHandler)})
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, _, err := decodeBatches(data)
		if err != nil {
			return
		}
		txns := map[string]*txnMeta{}
		for _, r := range recs {
			c.applyRecord(txns, r)
		}
		s := &shard{c: c, status: loaded, txns: txns, ctx: c.ctx}
		s.mu.Lock()
		s.resumeLocked()
		s.mu.Unlock()
	})
}
