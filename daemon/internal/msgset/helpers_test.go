package msgset

import (
	"encoding/binary"
	"hash/crc32"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/store/recordbatch"
	"github.com/kqhq/kq/store/recordbatch/recordbatchtest"
)

// The helpers here encode and decode with kmsg's message and batch types
// and the codecs' own writers, not with the code under test, so a test
// compares this package against an independent reading of the format.

// legacy is one message to encode for a test.
type legacy struct {
	offset int64
	attrs  int8
	ts     int64
	key    []byte
	value  []byte
}

// encodeLegacy encodes messages of one magic as a message set, with valid
// sizes and CRCs.
func encodeLegacy(magic int8, msgs ...legacy) []byte {
	var out []byte
	for _, m := range msgs {
		if magic == 0 {
			v := kmsg.MessageV0{Offset: m.offset, Magic: 0, Attributes: m.attrs, Key: m.key, Value: m.value}
			out = sealLegacy(out, v.AppendTo(nil))
			continue
		}
		v := kmsg.MessageV1{Offset: m.offset, Magic: 1, Attributes: m.attrs, Timestamp: m.ts, Key: m.key, Value: m.value}
		out = sealLegacy(out, v.AppendTo(nil))
	}
	return out
}

// sealLegacy fills in the size and CRC of one encoded message.
func sealLegacy(dst, msg []byte) []byte {
	binary.BigEndian.PutUint32(msg[8:12], uint32(len(msg)-12))
	binary.BigEndian.PutUint32(msg[12:16], crc32.ChecksumIEEE(msg[16:]))
	return append(dst, msg...)
}

// wrapper encodes inner as the compressed value of one wrapper message.
func wrapper(t testing.TB, magic int8, codec Codec, offset, ts int64, inner []byte) []byte {
	return encodeLegacy(magic, legacy{offset: offset, attrs: int8(codec), ts: ts, value: compressWith(t, codec, inner)})
}

// compressWith compresses with the codec libraries directly.
func compressWith(t testing.TB, codec Codec, raw []byte) []byte {
	return recordbatchtest.Compress(t, codec, raw)
}

// xerial frames a snappy payload the way the Java client's snappy-java
// stream does, in chunks of at most chunk bytes.
func xerial(raw []byte, chunk int) []byte { return recordbatchtest.Xerial(raw, chunk) }

// brokenLZ4 rewrites a frame's header checksum the way Kafka's magic 0
// writers computed it (KAFKA-3160): over the magic number too.
func brokenLZ4(frame []byte) []byte {
	out := append([]byte{}, frame...)
	out[6] = byte(xxh32Short(out[0:6]) >> 8) // no content size or dict id
	return out
}

// testRecord is one record of a batch built for a test.
type testRecord struct {
	tsDelta int64
	key     []byte
	value   []byte
	headers []kmsg.Header
}

// batchSpec is a record batch built for a test with kmsg.
type batchSpec struct {
	base    int64
	baseTs  int64
	maxTs   int64
	codec   Codec
	attrs   int16 // beyond the codec: LogAppendTime, control
	records []testRecord
}

func encodeBatch(t testing.TB, s batchSpec) []byte {
	t.Helper()
	var raw []byte
	for i, r := range s.records {
		rec := kmsg.Record{TimestampDelta64: r.tsDelta, OffsetDelta: int32(i), Key: r.key, Value: r.value, Headers: r.headers}
		body := rec.AppendTo(nil)[1:] // without the one-byte length 0
		rec.Length = int32(len(body))
		raw = rec.AppendTo(raw)
	}
	if s.codec != None {
		raw = compressWith(t, s.codec, raw)
	}
	n := int32(len(s.records))
	b := kmsg.RecordBatch{
		FirstOffset: s.base, PartitionLeaderEpoch: 3, Magic: 2, Attributes: s.attrs | int16(s.codec),
		LastOffsetDelta: n - 1, FirstTimestamp: s.baseTs, MaxTimestamp: s.maxTs,
		ProducerID: -1, ProducerEpoch: -1, FirstSequence: -1, NumRecords: n, Records: raw,
	}
	out := b.AppendTo(nil)
	binary.BigEndian.PutUint32(out[8:12], uint32(len(out)-12))
	binary.BigEndian.PutUint32(out[17:21], crc32.Checksum(out[21:], crc32.MakeTable(crc32.Castagnoli)))
	return out
}

// readLegacy decodes a message set with kmsg, checking every CRC.
func readLegacy(t testing.TB, set []byte) []kmsg.MessageV1 {
	t.Helper()
	var out []kmsg.MessageV1
	for len(set) > 0 {
		size := 12 + int(binary.BigEndian.Uint32(set[8:12]))
		if got := crc32.ChecksumIEEE(set[16:size]); got != binary.BigEndian.Uint32(set[12:16]) {
			t.Fatalf("message %d: crc mismatch", len(out))
		}
		var m kmsg.MessageV1
		if set[16] == 0 {
			var v0 kmsg.MessageV0
			if err := v0.ReadFrom(set[:size]); err != nil {
				t.Fatalf("message %d: %v", len(out), err)
			}
			m = kmsg.MessageV1{Offset: v0.Offset, Magic: 0, Attributes: v0.Attributes, Timestamp: -1, Key: v0.Key, Value: v0.Value}
		} else if err := m.ReadFrom(set[:size]); err != nil {
			t.Fatalf("message %d: %v", len(out), err)
		}
		out = append(out, m)
		set = set[size:]
	}
	return out
}

// readBatch decodes one whole record batch with kmsg, decompressing with
// recordbatch (its codecs are tested there against the libraries).
func readBatch(t testing.TB, b []byte) (kmsg.RecordBatch, []kmsg.Record) {
	t.Helper()
	var rb kmsg.RecordBatch
	if err := rb.ReadFrom(b); err != nil {
		t.Fatalf("decode batch: %v", err)
	}
	if got := crc32.Checksum(b[21:], crc32.MakeTable(crc32.Castagnoli)); got != uint32(rb.CRC) {
		t.Fatalf("batch crc %08x, computed %08x", uint32(rb.CRC), got)
	}
	raw := rb.Records
	if c := Codec(rb.Attributes & 7); c != None {
		var err error
		if raw, err = recordbatch.Decompress(nil, c, raw, 1<<30); err != nil {
			t.Fatalf("decompress batch: %v", err)
		}
	}
	recs := make([]kmsg.Record, rb.NumRecords)
	for i := range recs {
		l, n := binary.Varint(raw)
		if err := recs[i].ReadFrom(raw[:n+int(l)]); err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		raw = raw[n+int(l):]
	}
	if len(raw) != 0 {
		t.Fatalf("%d bytes after the last record", len(raw))
	}
	return rb, recs
}

// encodedRecords encodes records back to back with kmsg.
func encodedRecords(recs []kmsg.Record) []byte {
	var out []byte
	for i := range recs {
		out = recs[i].AppendTo(out)
	}
	return out
}
