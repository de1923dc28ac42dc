package msgset

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

// sample are the messages most tests send: a null key, an empty value, a
// null value and ordinary bytes.
var sample = []legacy{
	{offset: 0, ts: 1000, key: nil, value: []byte("v0")},
	{offset: 1, ts: 1005, key: []byte("k1"), value: []byte{}},
	{offset: 2, ts: 990, key: []byte("k2"), value: nil},
	{offset: 3, ts: 1010, key: []byte("k3"), value: bytes.Repeat([]byte("v3"), 500)},
}

// relative renumbers messages 0, 1, 2, ... as a magic 1 wrapper's inner set.
func relative(msgs []legacy) []legacy {
	out := append([]legacy{}, msgs...)
	for i := range out {
		out[i].offset = int64(i)
	}
	return out
}

func TestToBatch(t *testing.T) {
	lz4Frame := compressWith(t, LZ4, encodeLegacy(0, sample...))
	tests := []struct {
		name  string
		magic int8
		set   []byte
		codec Codec
	}{
		{"magic 0 uncompressed", 0, encodeLegacy(0, sample...), None},
		{"magic 1 uncompressed", 1, encodeLegacy(1, sample...), None},
		{"magic 0 gzip", 0, wrapper(t, 0, Gzip, 3, 0, encodeLegacy(0, sample...)), Gzip},
		{"magic 1 gzip", 1, wrapper(t, 1, Gzip, 3, 1010, encodeLegacy(1, relative(sample)...)), Gzip},
		{"magic 0 snappy", 0, wrapper(t, 0, Snappy, 3, 0, encodeLegacy(0, sample...)), Snappy},
		{"magic 1 snappy", 1, wrapper(t, 1, Snappy, 3, 1010, encodeLegacy(1, relative(sample)...)), Snappy},
		{"magic 1 snappy, xerial framing", 1,
			encodeLegacy(1, legacy{offset: 3, attrs: int8(Snappy), ts: 1010, value: xerial(encodeLegacy(1, relative(sample)...), 100)}), Snappy},
		{"magic 0 lz4, correct header checksum", 0, wrapper(t, 0, LZ4, 3, 0, encodeLegacy(0, sample...)), LZ4},
		{"magic 0 lz4, KAFKA-3160 header checksum", 0,
			encodeLegacy(0, legacy{offset: 3, attrs: int8(LZ4), value: brokenLZ4(lz4Frame)}), LZ4},
		{"magic 1 lz4", 1, wrapper(t, 1, LZ4, 3, 1010, encodeLegacy(1, relative(sample)...)), LZ4},
		{"two magic 1 wrappers, codec of the last", 1, append(
			wrapper(t, 1, Gzip, 1, 1005, encodeLegacy(1, relative(sample[:2])...)),
			wrapper(t, 1, LZ4, 1, 1010, encodeLegacy(1, relative(sample[2:])...))...), LZ4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := ToBatch(tc.set, 1<<20)
			if err != nil {
				t.Fatalf("ToBatch: %v", err)
			}
			checkBatch(t, out.Batch, tc.magic, tc.codec)
			if _, recs := readBatch(t, out.Batch); !bytes.Equal(encodedRecords(recs), out.Records) {
				t.Fatal("the records handed back are not the batch's")
			}
		})
	}
}

// checkBatch checks a converted batch holds sample, as the producer
// would have written it in a record batch.
func checkBatch(t *testing.T, out []byte, magic int8, codec Codec) {
	t.Helper()
	rb, recs := readBatch(t, out)
	if got := Codec(rb.Attributes & 7); got != codec || rb.Attributes&^7 != 0 {
		t.Errorf("attributes %#x, want codec %s and nothing else", rb.Attributes, codec)
	}
	if rb.FirstOffset != 0 || rb.ProducerID != -1 || rb.FirstSequence != -1 || rb.LastOffsetDelta != int32(len(sample)-1) {
		t.Errorf("header %+v", rb)
	}
	wantMax := int64(1010)
	if magic == 0 {
		wantMax = -1
	}
	if rb.MaxTimestamp != wantMax {
		t.Errorf("max timestamp %d, want %d", rb.MaxTimestamp, wantMax)
	}
	if len(recs) != len(sample) {
		t.Fatalf("%d records, want %d", len(recs), len(sample))
	}
	for i, r := range recs {
		want := sample[i]
		ts := rb.FirstTimestamp + r.TimestampDelta64
		wantTs := want.ts
		if magic == 0 {
			wantTs = -1
		}
		if r.OffsetDelta != int32(i) || ts != wantTs || !sameBytes(r.Key, want.key) || !sameBytes(r.Value, want.value) || len(r.Headers) != 0 {
			t.Errorf("record %d: delta %d ts %d key %q value %.10q headers %d; want %d %d %q %.10q 0",
				i, r.OffsetDelta, ts, r.Key, r.Value, len(r.Headers), i, wantTs, want.key, want.value)
		}
	}
}

// sameBytes compares with null and empty told apart.
func sameBytes(a, b []byte) bool {
	return (a == nil) == (b == nil) && bytes.Equal(a, b)
}

func TestToBatchErrors(t *testing.T) {
	good := encodeLegacy(1, sample...)
	badCRC := append([]byte{}, good...)
	badCRC[len(encodeLegacy(1, sample[0]))-1] ^= 1 // last byte of the first message
	innerBad := encodeLegacy(1, relative(sample)...)
	innerBad[20] ^= 1
	nested := wrapper(t, 1, Gzip, 0, 0, wrapper(t, 1, Gzip, 0, 0, encodeLegacy(1, sample[0])))
	oversize := append([]byte{}, good...)
	oversize[11]++ // the first message claims one byte more than it has
	bomb := wrapper(t, 0, Gzip, 0, 0, encodeLegacy(0, legacy{value: make([]byte, 1<<20)}))
	batch := encodeBatch(t, batchSpec{records: []testRecord{{value: []byte("x")}}})
	tests := []struct {
		name string
		set  []byte
		want error
	}{
		{"empty set", nil, ErrInvalid},
		{"bad crc", badCRC, ErrCorrupt},
		{"bad crc inside a wrapper", wrapper(t, 1, Gzip, 3, 0, innerBad), ErrCorrupt},
		{"torn last message", good[:len(good)-3], ErrCorrupt},
		{"size past the set", oversize, ErrCorrupt},
		{"a few stray bytes", append(append([]byte{}, good...), 0, 0, 0), ErrCorrupt},
		{"nested compression", nested, ErrCorrupt},
		{"magic 0 inside a magic 1 wrapper", wrapper(t, 1, Gzip, 0, 0, encodeLegacy(0, sample[0])), ErrCorrupt},
		{"zstd wrapper", wrapper(t, 1, Zstd, 0, 0, encodeLegacy(1, sample[0])), ErrUnsupportedCompression},
		{"unknown codec", encodeLegacy(1, legacy{attrs: 5, value: []byte("x")}), ErrCorrupt},
		{"gzip that is not gzip", encodeLegacy(1, legacy{attrs: int8(Gzip), value: []byte("plain")}), ErrCorrupt},
		{"wrapper with a null value", encodeLegacy(1, legacy{attrs: int8(Gzip)}), ErrCorrupt},
		{"wrapper with nothing inside", wrapper(t, 1, Gzip, 0, 0, nil), ErrInvalid},
		{"inflates past the limit", bomb, ErrCorrupt},
		{"magic 1 lz4 with KAFKA-3160 checksum", encodeLegacy(1, legacy{attrs: int8(LZ4),
			value: brokenLZ4(compressWith(t, LZ4, encodeLegacy(1, sample[0])))}), ErrCorrupt},
		{"a record batch", batch, ErrCorrupt},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ToBatch(tc.set, 1<<19)
			if !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
		})
	}
}

func TestDecodeOffsetsAndTimestamps(t *testing.T) {
	inner1 := encodeLegacy(1, legacy{offset: 0, ts: 7, value: []byte("a")}, legacy{offset: 1, ts: 8, value: []byte("b")}, legacy{offset: 2, ts: 9, value: []byte("c")})
	inner0 := encodeLegacy(0, legacy{offset: 40, value: []byte("a")}, legacy{offset: 41, value: []byte("b")})
	tests := []struct {
		name    string
		set     []byte
		offsets []int64
		stamps  []int64
		logApp  bool
	}{
		{"magic 1 wrapper: inner offsets relative to the last", wrapper(t, 1, Gzip, 109, 50, inner1), []int64{107, 108, 109}, []int64{7, 8, 9}, false},
		{"magic 1 LogAppendTime wrapper stamps every inner message",
			encodeLegacy(1, legacy{offset: 2, attrs: int8(Snappy) | attrLogAppTs, ts: 50, value: compressWith(t, Snappy, inner1)}),
			[]int64{0, 1, 2}, []int64{50, 50, 50}, true},
		{"magic 0 wrapper: inner offsets absolute, no timestamps", wrapper(t, 0, Gzip, 41, 0, inner0), []int64{40, 41}, []int64{-1, -1}, false},
		{"uncompressed magic 1 keeps offsets", inner1, []int64{0, 1, 2}, []int64{7, 8, 9}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Decode(tc.set, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			var offsets, stamps []int64
			for _, m := range d.Messages {
				offsets, stamps = append(offsets, m.Offset), append(stamps, m.Timestamp)
				if m.LogAppendTime != tc.logApp {
					t.Errorf("message %d: LogAppendTime %v, want %v", m.Offset, m.LogAppendTime, tc.logApp)
				}
			}
			if fmt.Sprint(offsets) != fmt.Sprint(tc.offsets) || fmt.Sprint(stamps) != fmt.Sprint(tc.stamps) {
				t.Fatalf("offsets %v timestamps %v, want %v %v", offsets, stamps, tc.offsets, tc.stamps)
			}
		})
	}
}

func TestIsLegacy(t *testing.T) {
	tests := []struct {
		name    string
		payload []byte
		want    bool
	}{
		{"magic 0", encodeLegacy(0, sample[0]), true},
		{"magic 1", encodeLegacy(1, sample[0]), true},
		{"record batch", encodeBatch(t, batchSpec{records: []testRecord{{value: []byte("x")}}}), false},
		{"empty", nil, false},
		{"torn before the magic", encodeLegacy(1, sample[0])[:16], false},
	}
	for _, tc := range tests {
		if got := IsLegacy(tc.payload); got != tc.want {
			t.Errorf("%s: IsLegacy %v, want %v", tc.name, got, tc.want)
		}
	}
}
