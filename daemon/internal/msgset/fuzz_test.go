package msgset

import (
	"bytes"
	"testing"
)

// FuzzToBatch feeds produce payloads, which come from the network, to the
// up-conversion: it must never panic, and whatever it accepts must come
// out as a well-formed batch holding the same keys and values.
func FuzzToBatch(f *testing.F) {
	f.Add(encodeLegacy(0, sample...))
	f.Add(encodeLegacy(1, sample...))
	f.Add(wrapper(f, 1, Gzip, 3, 1010, encodeLegacy(1, relative(sample)...)))
	f.Add(wrapper(f, 0, Snappy, 3, 0, encodeLegacy(0, sample...)))
	f.Add(wrapper(f, 1, LZ4, 3, 1010, encodeLegacy(1, relative(sample)...)))
	f.Add(encodeLegacy(0, legacy{attrs: int8(LZ4), value: brokenLZ4(compressWith(f, LZ4, encodeLegacy(0, sample...)))}))
	f.Fuzz(func(t *testing.T, set []byte) {
		d, err := Decode(set, 1<<20)
		if err != nil {
			return
		}
		out, err := ToBatch(set, 1<<20)
		if len(d.Messages) == 0 {
			return
		}
		if err != nil {
			t.Fatalf("Decode accepted %d messages, ToBatch refused: %v", len(d.Messages), err)
		}
		back, err := Downconvert(nil, out.Batch, DownOptions{Magic: 1, MaxBytes: 1 << 30, MaxDecompressed: 1 << 30})
		if err != nil {
			t.Fatalf("down-converting the converted batch: %v", err)
		}
		checkSameMessages(t, d.Messages, back)
	})
}

// checkSameMessages compares decoded messages with the legacy set made of
// them after a round trip through a batch.
func checkSameMessages(t *testing.T, want []Message, set []byte) {
	t.Helper()
	for i, w := range want {
		m, n, err := splitMessage(set)
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if m.offset != int64(i) || m.timestamp != w.Timestamp || !sameBytes(m.key, w.Key) || !sameBytes(m.value, w.Value) {
			t.Fatalf("message %d: offset %d ts %d, want %d %d, or key/value differ", i, m.offset, m.timestamp, i, w.Timestamp)
		}
		set = set[n:]
	}
	if len(set) != 0 {
		t.Fatalf("%d bytes after the last message", len(set))
	}
}

// FuzzDownconvert feeds log reads to the down-conversion: stored bytes can
// be damaged on disk. It must never panic and must write only whole,
// valid legacy messages within the byte limit.
func FuzzDownconvert(f *testing.F) {
	f.Add(encodeBatch(f, batchSpec{base: 100, baseTs: 1000, maxTs: 1010, records: records}), int64(0), uint16(4096))
	f.Add(encodeBatch(f, batchSpec{base: 0, codec: Gzip, records: records}), int64(2), uint16(100))
	f.Add(encodeBatch(f, batchSpec{base: 0, codec: Zstd, records: records}), int64(0), uint16(1000))
	f.Add(bytes.Join([][]byte{
		encodeBatch(f, batchSpec{base: 0, codec: LZ4, records: records}),
		encodeBatch(f, batchSpec{base: 4, codec: Snappy, records: records}),
	}, nil), int64(5), uint16(600))
	f.Fuzz(func(t *testing.T, data []byte, from int64, maxBytes uint16) {
		out, err := Downconvert(nil, data, DownOptions{Magic: 1, FromOffset: from, MaxBytes: int(maxBytes), MaxDecompressed: 1 << 20})
		if err != nil {
			return
		}
		if len(out) > int(maxBytes) {
			t.Fatalf("%d bytes written, limit %d", len(out), maxBytes)
		}
		for pos := 0; pos < len(out); {
			m, n, err := splitMessage(out[pos:])
			if err != nil || m.codec() != None || m.offset < from {
				t.Fatalf("message at byte %d: %+v, error %v", pos, m, err)
			}
			pos += n
		}
	})
}
