package handler_test

import (
	"encoding/binary"
	"hash/crc32"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// crcStart is where a v2 batch's CRC-covered bytes begin: after base offset
// (8), length (4), partition leader epoch (4), magic (1) and the CRC (4).
const crcStart = 21

// batch returns an uncompressed v2 record batch as a producer sends it: one
// record per value, all stamped firstTimestamp + index.
func batch(firstTimestamp int64, values ...string) []byte {
	var records []byte
	for i, v := range values {
		records = appendRecord(records, int32(i), int64(i), []byte(v))
	}
	n := int32(len(values))
	b := kmsg.RecordBatch{
		PartitionLeaderEpoch: -1, Magic: 2, LastOffsetDelta: n - 1,
		FirstTimestamp: firstTimestamp, MaxTimestamp: firstTimestamp + int64(n-1),
		ProducerID: -1, ProducerEpoch: -1, FirstSequence: -1, NumRecords: n, Records: records,
	}
	out := b.AppendTo(nil)
	binary.BigEndian.PutUint32(out[8:12], uint32(len(out)-12))
	binary.BigEndian.PutUint32(out[17:21], crc32.Checksum(out[crcStart:], castagnoli))
	return out
}

func appendRecord(dst []byte, offsetDelta int32, tsDelta int64, value []byte) []byte {
	r := kmsg.Record{TimestampDelta64: tsDelta, OffsetDelta: offsetDelta, Value: value}
	body := r.AppendTo(nil)[1:] // without the one-byte varint of Length 0
	r.Length = int32(len(body))
	return r.AppendTo(dst)
}

// concat joins batches into one produce payload.
func concat(batches ...[]byte) []byte {
	var out []byte
	for _, b := range batches {
		out = append(out, b...)
	}
	return out
}

// fetched is one record read back from a fetch response.
type fetched struct {
	offset int64
	value  string
	epoch  int32
}

// decodeRecords parses whole record batches, checking each CRC, and returns
// their records in order.
func decodeRecords(t *testing.T, data []byte) []fetched {
	t.Helper()
	var out []fetched
	for len(data) > 0 {
		if len(data) < 12 {
			t.Fatalf("%d trailing bytes after the last batch", len(data))
		}
		size := 12 + int(binary.BigEndian.Uint32(data[8:12]))
		if size > len(data) {
			t.Fatalf("batch of %d bytes cut at %d", size, len(data))
		}
		var b kmsg.RecordBatch
		if err := b.ReadFrom(data[:size]); err != nil {
			t.Fatalf("decode batch: %v", err)
		}
		if got := crc32.Checksum(data[crcStart:size], castagnoli); got != uint32(b.CRC) {
			t.Fatalf("batch at offset %d: crc %08x, computed %08x", b.FirstOffset, uint32(b.CRC), got)
		}
		out = append(out, batchRecords(t, b)...)
		data = data[size:]
	}
	return out
}

func batchRecords(t *testing.T, b kmsg.RecordBatch) []fetched {
	t.Helper()
	var out []fetched
	src := b.Records
	for range b.NumRecords {
		length, n := binary.Varint(src)
		if n <= 0 || int(length)+n > len(src) {
			t.Fatalf("record cut in batch at offset %d", b.FirstOffset)
		}
		var r kmsg.Record
		if err := r.ReadFrom(src[:n+int(length)]); err != nil {
			t.Fatalf("decode record: %v", err)
		}
		out = append(out, fetched{offset: b.FirstOffset + int64(r.OffsetDelta), value: string(r.Value), epoch: b.PartitionLeaderEpoch})
		src = src[n+int(length):]
	}
	return out
}

func values(recs []fetched) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.value
	}
	return out
}
