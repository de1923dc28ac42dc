package msgset

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/store/recordbatch"
)

// records are what most down-conversion tests store: null and empty keys
// and values, a header that must disappear, timestamps out of order.
var records = []testRecord{
	{tsDelta: 0, key: nil, value: []byte("v0")},
	{tsDelta: 5, key: []byte("k1"), value: []byte{}, headers: []kmsg.Header{{Key: "h", Value: []byte("x")}}},
	{tsDelta: -10, key: []byte("k2"), value: nil},
	{tsDelta: 10, key: []byte{}, value: bytes.Repeat([]byte("v3"), 300)},
}

func TestDownconvert(t *testing.T) {
	for _, codec := range []Codec{None, Gzip, Snappy, LZ4, Zstd} {
		for _, magic := range []int8{0, 1} {
			t.Run(fmt.Sprintf("%s to magic %d", codec, magic), func(t *testing.T) {
				data := encodeBatch(t, batchSpec{base: 100, baseTs: 1000, maxTs: 1010, codec: codec, records: records})
				out, err := Downconvert(nil, data, DownOptions{Magic: magic, MaxBytes: 1 << 20, MaxDecompressed: 1 << 20})
				if err != nil {
					t.Fatal(err)
				}
				checkMessages(t, readLegacy(t, out), magic, 100, records, func(r testRecord) int64 { return 1000 + r.tsDelta })
			})
		}
	}
}

// checkMessages compares legacy messages with the records they came from.
func checkMessages(t *testing.T, got []kmsg.MessageV1, magic int8, firstOffset int64, want []testRecord, ts func(testRecord) int64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d messages, want %d", len(got), len(want))
	}
	for i, m := range got {
		r := want[i]
		wantTs := ts(r)
		if magic == 0 {
			wantTs = -1
		}
		if m.Magic != magic || m.Attributes&7 != 0 || m.Offset != firstOffset+int64(i) || m.Timestamp != wantTs ||
			!sameBytes(m.Key, r.key) || !sameBytes(m.Value, r.value) {
			t.Errorf("message %d: magic %d attrs %#x offset %d ts %d key %q value %.10q; want magic %d, offset %d, ts %d, %q %.10q",
				i, m.Magic, m.Attributes, m.Offset, m.Timestamp, m.Key, m.Value, magic, firstOffset+int64(i), wantTs, r.key, r.value)
		}
	}
}

func TestDownconvertLogAppendTime(t *testing.T) {
	data := encodeBatch(t, batchSpec{base: 7, baseTs: 1000, maxTs: 5000, attrs: recordbatch.AttrLogAppendTime, records: records})
	out, err := Downconvert(nil, data, DownOptions{Magic: 1, MaxBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	msgs := readLegacy(t, out)
	checkMessages(t, msgs, 1, 7, records, func(testRecord) int64 { return 5000 })
	for i, m := range msgs {
		if m.Attributes&attrLogAppTs == 0 {
			t.Errorf("message %d: attributes %#x, want the LogAppendTime bit", i, m.Attributes)
		}
	}
}

func TestDownconvertSelection(t *testing.T) {
	one := func(v string) []testRecord { return []testRecord{{value: []byte(v)}} }
	b0 := encodeBatch(t, batchSpec{base: 0, codec: Gzip, records: records})
	b1 := encodeBatch(t, batchSpec{base: 4, records: one("e")})
	ctrl := encodeBatch(t, batchSpec{base: 5, attrs: recordbatch.AttrControl, records: []testRecord{{key: []byte{0, 0, 0, 0}, value: []byte{0, 0, 0, 0, 0, 0}}}})
	b2 := encodeBatch(t, batchSpec{base: 6, records: one("g")})
	all := bytes.Join([][]byte{b0, b1, ctrl, b2}, nil)
	size := func(i int) int { // magic 1 size of record i of records
		return messageSize(1, Message{Key: records[i].key, Value: records[i].value})
	}
	tests := []struct {
		name    string
		data    []byte
		opts    DownOptions
		offsets []int64
	}{
		{"everything, control batch skipped", all, DownOptions{MaxBytes: 1 << 20}, []int64{0, 1, 2, 3, 4, 6}},
		{"fetch offset inside the first batch", all, DownOptions{FromOffset: 2, MaxBytes: 1 << 20}, []int64{2, 3, 4, 6}},
		{"stops before the message that does not fit", all, DownOptions{MaxBytes: size(0) + size(1) + size(2) + 10}, []int64{0, 1, 2}},
		{"exactly full", all, DownOptions{MaxBytes: size(0) + size(1)}, []int64{0, 1}},
		{"first message too large: nothing", all, DownOptions{FromOffset: 3, MaxBytes: 100}, nil},
		{"first message too large with MinOne: that message", all, DownOptions{FromOffset: 3, MaxBytes: 100, MinOne: true}, []int64{3}},
		{"batch cut short at the end is ignored", append(append([]byte{}, b1...), b2[:30]...), DownOptions{MaxBytes: 1 << 20}, []int64{4}},
		{"no data", nil, DownOptions{MaxBytes: 1 << 20}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Magic, tc.opts.MaxDecompressed = 1, 1<<20
			out, err := Downconvert(nil, tc.data, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			var offsets []int64
			for _, m := range readLegacy(t, out) {
				offsets = append(offsets, m.Offset)
			}
			if fmt.Sprint(offsets) != fmt.Sprint(tc.offsets) {
				t.Fatalf("offsets %v, want %v", offsets, tc.offsets)
			}
			if !tc.opts.MinOne && len(out) > tc.opts.MaxBytes {
				t.Fatalf("%d bytes, over MaxBytes %d", len(out), tc.opts.MaxBytes)
			}
		})
	}
}

func TestDownconvertCorrupt(t *testing.T) {
	good := encodeBatch(t, batchSpec{base: 0, records: records})
	flipped := append([]byte{}, good...)
	flipped[len(flipped)-1] ^= 1
	badRecords := encodeBatch(t, batchSpec{base: 0, records: records})
	badRecords[recordbatch.HeaderSize] = 0x7f // first record's length now runs past the batch
	resealCRC(badRecords)
	tooMany := append([]byte{}, good...)
	tooMany[60]++ // record count one more than the records
	resealCRC(tooMany)
	legacySet := encodeLegacy(1, sample...)
	legacySet = append(legacySet, make([]byte, 64)...)
	tests := []struct {
		name string
		data []byte
	}{
		{"batch crc mismatch", flipped},
		{"record length past the batch", badRecords},
		{"record count above the records", tooMany},
		{"not a record batch", legacySet},
		{"gzip batch that is not gzip", encodeBatchRaw(t, Gzip, []byte("plain"))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Downconvert(nil, tc.data, DownOptions{Magic: 1, MaxBytes: 1 << 20, MaxDecompressed: 1 << 20})
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v, want ErrCorrupt", err)
			}
		})
	}
}

// encodeBatchRaw builds a one-record batch whose records field is payload,
// marked with codec, so the codec sees bytes it did not write.
func encodeBatchRaw(t *testing.T, codec Codec, payload []byte) []byte {
	b := encodeBatch(t, batchSpec{records: []testRecord{{value: []byte("x")}}})
	b = append(b[:recordbatch.HeaderSize], payload...)
	b[22] |= byte(codec)
	b[11] = byte(len(b) - 12)
	resealCRC(b)
	return b
}

func resealCRC(b []byte) { recordbatch.Header(b).Seal() }
