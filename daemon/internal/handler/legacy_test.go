package handler_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/snappy"
	"github.com/pierrec/lz4/v4"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/store/recordbatch"
	"github.com/kqhq/kq/store/recordbatch/recordbatchtest"
)

// Legacy message sets (magic 0 and 1) for Produce v0-2 and Fetch v0-3
// tests, encoded with kmsg's message types and the codec libraries.

// legacyCodec is a compression codec by its attribute bits.
type legacyCodec int8

const (
	codecNone   legacyCodec = 0
	codecGzip   legacyCodec = 1
	codecSnappy legacyCodec = 2
	codecLZ4    legacyCodec = 3
	codecZstd   legacyCodec = 4
)

// legacySet encodes one message per value, keyed "k<i>", offsets 0, 1, ...
// and (magic 1) timestamps firstTimestamp + index.
func legacySet(magic int8, firstTimestamp int64, values ...string) []byte {
	var out []byte
	for i, v := range values {
		key := []byte{'k', byte('0' + i%10)}
		out = appendLegacy(out, magic, int64(i), 0, firstTimestamp+int64(i), key, []byte(v))
	}
	return out
}

// appendLegacy appends one message with a valid size and CRC.
func appendLegacy(dst []byte, magic int8, offset int64, attrs int8, ts int64, key, value []byte) []byte {
	var msg []byte
	if magic == 0 {
		m := kmsg.MessageV0{Offset: offset, Attributes: attrs, Key: key, Value: value}
		msg = m.AppendTo(nil)
	} else {
		m := kmsg.MessageV1{Offset: offset, Magic: 1, Attributes: attrs, Timestamp: ts, Key: key, Value: value}
		msg = m.AppendTo(nil)
	}
	binary.BigEndian.PutUint32(msg[8:12], uint32(len(msg)-12))
	binary.BigEndian.PutUint32(msg[12:16], crc32.ChecksumIEEE(msg[16:]))
	return append(dst, msg...)
}

// legacyWrapped compresses inner into one wrapper message; magic 1 wrapper
// offsets name the last inner message (inner offsets are relative).
func legacyWrapped(t testing.TB, magic int8, codec legacyCodec, innerCount int, inner []byte) []byte {
	t.Helper()
	return appendLegacy(nil, magic, int64(innerCount-1), int8(codec), 0, nil, recordbatchtest.Compress(t, recordbatch.Codec(codec), inner))
}

// legacyMessage is one message read back from a Fetch v0-3 response.
type legacyMessage struct {
	offset int64
	magic  int8
	attrs  int8
	ts     int64
	key    string
	value  string
}

// readLegacySet decodes a message set with kmsg, checking each CRC. A
// partial message at the end is returned as partial.
func readLegacySet(t *testing.T, set []byte) (msgs []legacyMessage, partial []byte) {
	t.Helper()
	for len(set) > 0 {
		if len(set) < 12 || 12+int(binary.BigEndian.Uint32(set[8:12])) > len(set) {
			return msgs, set
		}
		size := 12 + int(binary.BigEndian.Uint32(set[8:12]))
		if crc32.ChecksumIEEE(set[16:size]) != binary.BigEndian.Uint32(set[12:16]) {
			t.Fatalf("message %d: crc mismatch", len(msgs))
		}
		var m kmsg.MessageV1
		if set[16] == 0 {
			var v0 kmsg.MessageV0
			if err := v0.ReadFrom(set[:size]); err != nil {
				t.Fatalf("message %d: %v", len(msgs), err)
			}
			m = kmsg.MessageV1{Offset: v0.Offset, Attributes: v0.Attributes, Timestamp: -1, Key: v0.Key, Value: v0.Value}
		} else if err := m.ReadFrom(set[:size]); err != nil {
			t.Fatalf("message %d: %v", len(msgs), err)
		}
		msgs = append(msgs, legacyMessage{offset: m.Offset, magic: int8(set[16]), attrs: m.Attributes, ts: m.Timestamp, key: string(m.Key), value: string(m.Value)})
		set = set[size:]
	}
	return msgs, nil
}

// storedBatches reads a partition from offset 0 with Fetch v12, through a
// real server (the records are file regions), and returns its record
// batches with their records.
func storedBatches(t *testing.T, f *fixture, topic string) []storedBatch {
	t.Helper()
	resp := f.dial().call(fetchReq(0, 1, 1<<20, fetchPart{topic: topic, epoch: -1})).(*kmsg.FetchResponse)
	p := resp.Topics[0].Partitions[0]
	if p.ErrorCode != 0 {
		t.Fatalf("fetch %s: error %d", topic, p.ErrorCode)
	}
	data := p.RecordBatches
	var out []storedBatch
	for len(data) > 0 {
		size := 12 + int(binary.BigEndian.Uint32(data[8:12]))
		var b kmsg.RecordBatch
		if err := b.ReadFrom(data[:size]); err != nil {
			t.Fatalf("decode batch: %v", err)
		}
		out = append(out, storedBatch{batch: b, records: storedRecords(t, b)})
		data = data[size:]
	}
	return out
}

type storedBatch struct {
	batch   kmsg.RecordBatch
	records []kmsg.Record
}

func storedRecords(t *testing.T, b kmsg.RecordBatch) []kmsg.Record {
	t.Helper()
	raw := b.Records
	if codec := b.Attributes & 7; codec != 0 {
		raw = decompressStored(t, legacyCodec(codec), raw)
	}
	out := make([]kmsg.Record, b.NumRecords)
	for i := range out {
		l, n := binary.Varint(raw)
		if err := out[i].ReadFrom(raw[:n+int(l)]); err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		raw = raw[n+int(l):]
	}
	return out
}

func decompressStored(t *testing.T, codec legacyCodec, payload []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	var err error
	switch codec {
	case codecGzip:
		var r *gzip.Reader
		if r, err = gzip.NewReader(bytes.NewReader(payload)); err == nil {
			_, err = out.ReadFrom(r)
		}
	case codecSnappy:
		var b []byte
		b, err = snappy.Decode(nil, payload)
		out.Write(b)
	case codecLZ4:
		_, err = out.ReadFrom(lz4.NewReader(bytes.NewReader(payload)))
	default:
		t.Fatalf("stored batch with codec %d", codec)
	}
	if err != nil {
		t.Fatalf("decompress stored %d batch: %v", codec, err)
	}
	return out.Bytes()
}
