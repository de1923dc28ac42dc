package handler_test

import (
	"encoding/binary"
	"hash/crc32"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// idempotentBatch is batch() stamped with a producer id, epoch and base
// sequence, the CRC recomputed.
func idempotentBatch(pid int64, epoch int16, seq int32, values ...string) []byte {
	b := batch(1000, values...)
	binary.BigEndian.PutUint64(b[43:], uint64(pid))
	binary.BigEndian.PutUint16(b[51:], uint16(epoch))
	binary.BigEndian.PutUint32(b[53:], uint32(seq))
	binary.BigEndian.PutUint32(b[17:21], crc32.Checksum(b[crcStart:], castagnoli))
	return b
}

// TestProduceIdempotent: what a producer sees on the wire for each of
// Kafka's idempotence rules, in order on one partition.
func TestProduceIdempotent(t *testing.T) {
	steps := []struct {
		name  string
		acks  int16
		batch []byte
		code  int16
		base  int64
		leo   int64
	}{
		{"first batch", -1, idempotentBatch(5, 0, 0, "a", "b"), 0, 0, 2},
		{"next batch", 1, idempotentBatch(5, 0, 2, "c"), 0, 2, 3},
		{"retry of the first: original offset, nothing written", -1, idempotentBatch(5, 0, 0, "a", "b"), 0, 0, 3},
		{"a gap", 1, idempotentBatch(5, 0, 9, "x"), kerr.OutOfOrderSequenceNumber.Code, -1, 3},
		{"new epoch", 1, idempotentBatch(5, 1, 0, "d"), 0, 3, 4},
		{"the old epoch", 1, idempotentBatch(5, 0, 3, "x"), kerr.InvalidProducerEpoch.Code, -1, 4},
	}
	f := newFixture(t)
	f.topic("t", ledHere(1)...)
	for _, s := range steps {
		resp := f.call(produceReq(s.acks, "t", 0, s.batch)).(*kmsg.ProduceResponse)
		p := resp.Topics[0].Partitions[0]
		if p.ErrorCode != s.code || p.BaseOffset != s.base {
			t.Fatalf("%s: code %d (%v) base %d, want %d base %d", s.name, p.ErrorCode, kerr.ErrorForCode(p.ErrorCode), p.BaseOffset, s.code, s.base)
		}
		if s.code != 0 && p.ErrorMessage == nil {
			t.Fatalf("%s: no error message", s.name)
		}
		if _, _, leo := mustPartition(f, "t", 0).Offsets(); leo != s.leo {
			t.Fatalf("%s: log end %d, want %d", s.name, leo, s.leo)
		}
	}
}
