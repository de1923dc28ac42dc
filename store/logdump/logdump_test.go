package logdump

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"testing"

	"github.com/kqhq/kq/store/recordbatch"
)

func emptyBatch(base int64) []byte {
	return recordbatch.AppendBatch(nil, recordbatch.Fields{BaseOffset: base, ProducerID: -1, ProducerEpoch: -1, BaseSequence: -1}, nil)
}

func TestSegmentStopsAtBytesThatAreNotABatch(t *testing.T) {
	two := append(emptyBatch(0), emptyBatch(1)...)
	badMagic := append([]byte(nil), two...)
	badMagic[len(emptyBatch(0))+recordbatch.PosMagic] = 5
	short := append([]byte(nil), two...)
	binary.BigEndian.PutUint32(short[len(emptyBatch(0))+recordbatch.PosLength:], 3)
	huge := append([]byte(nil), two...)
	binary.BigEndian.PutUint32(huge[len(emptyBatch(0))+recordbatch.PosLength:], math.MaxInt32-1)
	tests := []struct {
		name     string
		data     []byte
		maxBytes int64
		batches  int
		err      error
	}{
		{"whole", two, math.MaxInt64, 2, io.EOF},
		{"torn tail", append(two, 1, 2, 3), math.MaxInt64, 2, recordbatch.ErrTruncated},
		{"cut by max bytes", two, int64(len(two) - 1), 1, recordbatch.ErrTruncated},
		{"other magic", badMagic, math.MaxInt64, 1, ErrCorrupt},
		{"length below a header", short, math.MaxInt64, 1, ErrCorrupt},
		{"length past the file", huge, math.MaxInt64, 1, recordbatch.ErrTruncated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSegment(bytes.NewReader(tt.data), int64(len(tt.data)), tt.maxBytes)
			n := 0
			var err error
			for {
				var b Batch
				if b, err = s.Next(); err != nil {
					break
				}
				if !b.Valid() || b.BaseOffset() != int64(n) {
					t.Fatalf("batch %d: base %d valid %v", n, b.BaseOffset(), b.Valid())
				}
				n++
			}
			if n != tt.batches || !errors.Is(err, tt.err) {
				t.Fatalf("%d batches then %v; want %d then %v", n, err, tt.batches, tt.err)
			}
			if s.Position() != int64(len(emptyBatch(0))*n) {
				t.Fatalf("position %d after %d batches", s.Position(), n)
			}
		})
	}
}

func TestIndexChecks(t *testing.T) {
	idx := make([]byte, 16)
	binary.BigEndian.PutUint32(idx[0:], 3)
	binary.BigEndian.PutUint32(idx[4:], 100)
	binary.BigEndian.PutUint32(idx[8:], 7)
	binary.BigEndian.PutUint32(idx[12:], 200)
	got := OffsetEntries(append(idx, make([]byte, 8)...), 10)
	if len(got) != 2 || got[1] != (OffsetEntry{Offset: 17, Position: 200}) {
		t.Fatalf("entries %+v", got)
	}
	if LookupPosition(got, 16) != 100 || LookupPosition(got, 5) != 0 {
		t.Fatal("lookup")
	}
	if CheckOffsetIndex("x", idx[:12], 10) == nil || CheckOffsetIndex("x", idx, 10) != nil {
		t.Fatal("offset index sanity")
	}
	neg := append([]byte(nil), idx...)
	binary.BigEndian.PutUint32(neg[8:], math.MaxUint32) // relative -1: below the base
	if CheckOffsetIndex("x", neg, 10) == nil {
		t.Fatal("an offset below the base passed")
	}
	tidx := make([]byte, 24)
	binary.BigEndian.PutUint64(tidx[0:], 50)
	binary.BigEndian.PutUint32(tidx[8:], 1)
	binary.BigEndian.PutUint64(tidx[12:], 40) // earlier than the first
	binary.BigEndian.PutUint32(tidx[20:], 2)
	if CheckTimeIndex("x", tidx, 0) == nil || CheckTimeIndex("x", tidx[:13], 0) == nil {
		t.Fatal("time index sanity")
	}
}

// FuzzReaders decodes arbitrary bytes with every reader: errors, never a
// panic or an allocation the bytes merely claim.
func FuzzReaders(f *testing.F) {
	f.Add(emptyBatch(0))
	f.Add([]byte{0, 1, 0, 0, 0, 0, 0, 0, 0, 1})
	f.Add(legacyMessage(0, 1, 1, 5, []byte("k"), []byte("not gzip")))
	f.Fuzz(func(t *testing.T, data []byte) {
		s := NewSegment(bytes.NewReader(data), int64(len(data)), math.MaxInt64)
		for {
			b, err := s.Next()
			if err != nil {
				break
			}
			if b.Legacy != nil {
				_, _ = b.Legacy.Inner(1 << 20)
			}
		}
		_, _ = ProducerSnapshot(data)
		_, _ = AbortedTxns(data)
		_ = OffsetEntries(data, 0)
		_ = TimeEntries(data, 0)
		_ = CheckOffsetIndex("f", data, 0)
		_ = CheckTimeIndex("f", data, 0)
	})
}
