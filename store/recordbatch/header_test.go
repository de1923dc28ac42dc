package recordbatch

import (
	"errors"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// TestHeaderRoundTrip: what AppendBatch writes, the getters read back,
// and kmsg's independent reading of the format agrees.
func TestHeaderRoundTrip(t *testing.T) {
	for _, codec := range allCodecs {
		t.Run(codec.String(), func(t *testing.T) {
			b := testBatch(t, codec, 5)
			h, err := Split(append(b, 0xff)) // a following byte is not part of it
			if err != nil {
				t.Fatal(err)
			}
			if err := h.CheckCRC(); err != nil {
				t.Fatal(err)
			}
			var k kmsg.RecordBatch
			if err := k.ReadFrom(h); err != nil {
				t.Fatal(err)
			}
			tests := []struct {
				name      string
				got, want int64
			}{
				{"base offset", h.BaseOffset(), k.FirstOffset},
				{"size", h.Size(), int64(len(b))},
				{"length", int64(h.Length()), int64(k.Length)},
				{"leader epoch", int64(h.LeaderEpoch()), int64(k.PartitionLeaderEpoch)},
				{"crc", int64(h.CRC()), int64(uint32(k.CRC))},
				{"attributes", int64(h.Attributes()), int64(k.Attributes)},
				{"last offset", h.LastOffset(), 104},
				{"base timestamp", h.BaseTimestamp(), k.FirstTimestamp},
				{"max timestamp", h.MaxTimestamp(), k.MaxTimestamp},
				{"producer id", h.ProducerID(), k.ProducerID},
				{"producer epoch", int64(h.ProducerEpoch()), int64(k.ProducerEpoch)},
				{"base sequence", int64(h.BaseSequence()), int64(k.FirstSequence)},
				{"record count", int64(h.RecordCount()), int64(k.NumRecords)},
				{"codec", int64(h.Codec()), int64(codec)},
			}
			for _, tc := range tests {
				if tc.got != tc.want {
					t.Errorf("%s: %d, want %d", tc.name, tc.got, tc.want)
				}
			}
		})
	}
}

func TestRestamp(t *testing.T) {
	tests := []struct {
		name          string
		logAppendTime bool
		maxTs         int64
		changed       bool
	}{
		{"unchanged", false, 1012, false},
		{"new max timestamp", false, 5000, true},
		{"log append time", true, 5000, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := Header(testBatch(t, None, 5))
			crc := h.CRC()
			h.Restamp(tc.logAppendTime, tc.maxTs)
			if h.LogAppendTime() != tc.logAppendTime || h.MaxTimestamp() != tc.maxTs || (h.CRC() != crc) != tc.changed {
				t.Fatalf("log append time %v max %d crc changed %v", h.LogAppendTime(), h.MaxTimestamp(), h.CRC() != crc)
			}
			if err := h.CheckCRC(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestCRCMismatch: a flipped bit anywhere from the attributes on fails
// the CRC; the base offset and leader epoch are outside it.
func TestCRCMismatch(t *testing.T) {
	tests := []struct {
		name string
		pos  int
		bad  bool
	}{
		{"base offset", PosBaseOffset + 7, false},
		{"leader epoch", PosLeaderEpoch, false},
		{"crc", PosCRC + 2, true},
		{"attributes", PosAttributes + 1, true},
		{"record count", PosRecordCount + 3, true},
		{"records", HeaderSize + 10, true},
		{"last byte", -1, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := testBatch(t, None, 3)
			pos := tc.pos
			if pos < 0 {
				pos = len(b) - 1
			}
			b[pos] ^= 0x10
			if err := Header(b).CheckCRC(); errors.Is(err, ErrCRC) != tc.bad {
				t.Fatalf("error %v, want ErrCRC %v", err, tc.bad)
			}
		})
	}
}

func TestSplitRefusals(t *testing.T) {
	whole := testBatch(t, Gzip, 3)
	edit := func(f func(b []byte)) []byte {
		b := append([]byte(nil), whole...)
		f(b)
		return b
	}
	tests := []struct {
		name string
		buf  []byte
		want error
	}{
		{"empty", nil, ErrTruncated},
		{"torn header", whole[:HeaderSize-1], ErrTruncated},
		{"torn records", whole[:len(whole)-1], ErrTruncated},
		{"length below the header", edit(func(b []byte) { Header(b).SetLength(MinLength - 1) }), ErrLength},
		{"negative length", edit(func(b []byte) { Header(b).SetLength(-1) }), ErrLength},
		{"magic 1", edit(func(b []byte) { b[PosMagic] = 1 }), ErrMagic},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Split(tc.buf); !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
		})
	}
}
