package partitionlog

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/kqhq/kq/store/recordbatch"
)

// FuzzProducerSnapshot decodes arbitrary snapshot files: no panic, every
// refusal is errCorruptSnapshot, and what decodes encodes to a file that
// decodes to the same state.
func FuzzProducerSnapshot(f *testing.F) {
	m := producerMap{}
	m.entry(7).addBatch(1, producerBatch{lastSeq: 4, lastOffset: 10, offsetDelta: 4, timestamp: 99})
	m.entry(8).setEpoch(0)
	f.Add(encodeProducerSnapshot(m))
	f.Add(encodeProducerSnapshot(producerMap{}))
	f.Add([]byte{0, 1, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := decodeProducerSnapshot(data)
		if err != nil {
			if !errors.Is(err, errCorruptSnapshot) {
				t.Fatalf("unclassified error: %v", err)
			}
			return
		}
		again, err := decodeProducerSnapshot(encodeProducerSnapshot(got))
		if err != nil || !reflect.DeepEqual(again.export(), got.export()) {
			t.Fatalf("re-encoding changed the state: %v", err)
		}
	})
}

// FuzzProducerStateRebuild writes a segment of header-only batches whose
// producer fields come from the fuzzer, cut anywhere and followed by
// arbitrary bytes, and opens it after a crash: the rebuilt state is
// exactly the replay of the batches recovery kept, and after a clean
// close and reopen (from the snapshot) it still matches the log.
func FuzzProducerStateRebuild(f *testing.F) {
	f.Add([]byte{1, 0, 0, 0, 0, 0, 2, 0, 1, 0, 0, 0, 0, 3, 3, 0, 2, 1, 0, 0, 0, 0, 0, 0}, uint16(1000), []byte{})
	f.Add([]byte{1, 1, 0x7f, 0xff, 0xff, 0xff, 3, 0, 1, 1, 0, 0, 0, 2, 0, 1}, uint16(100), []byte{0, 0, 0})
	f.Add([]byte{0xff, 0, 0, 0, 0, 0, 0, 0, 5, 2, 0, 0, 0, 9, 1, 0}, uint16(70), []byte{1, 2, 3, 4})
	f.Fuzz(func(t *testing.T, fields []byte, cut uint16, tail []byte) {
		if len(fields) > 8*200 || len(tail) > 4096 {
			return
		}
		valid := headerOnlyBatches(fields)
		dir := filepath.Join(t.TempDir(), testTP.dirName())
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		seg := concat(valid[:min(int(cut), len(valid))], tail)
		if err := os.WriteFile(segmentPath(dir, 0, logSuffix), seg, 0o644); err != nil {
			t.Fatal(err)
		}
		o := logOptions{dir: dir, tp: testTP, cfg: Config{SegmentIndexBytes: 1200, IndexIntervalBytes: 64},
			clock: newManualClock(fuzzTimestamp), logger: discardLogger()}
		l, err := openLog(o)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := l.ProducerStates(), replayAll(t, l).export(); !reflect.DeepEqual(got, want) {
			t.Fatalf("rebuilt\n%+v\nthe log says\n%+v", got, want)
		}
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		o.clean = true
		if l, err = openLog(o); err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		if got, want := l.ProducerStates(), replayAll(t, l).export(); len(got) != len(want) {
			t.Fatalf("from the snapshot %d producers, the log has %d", len(got), len(want))
		}
	})
}

const fuzzTimestamp = 1_000_000

// headerOnlyBatches builds one 61-byte batch (no records; recovery only
// checks the CRC and offsets) per 8 bytes of fields: producer id (-5..5),
// epoch, base sequence, last offset delta and the control bit.
func headerOnlyBatches(fields []byte) []byte {
	var out []byte
	next := int64(0)
	for ; len(fields) >= 8; fields = fields[8:] {
		b := make([]byte, recordbatch.HeaderSize)
		h := header(b)
		delta := int32(fields[6] % 4)
		binary.BigEndian.PutUint64(b[recordbatch.PosBaseOffset:], uint64(next))
		binary.BigEndian.PutUint32(b[recordbatch.PosLength:], recordbatch.MinLength)
		b[recordbatch.PosMagic] = recordbatch.Magic
		h.SetAttributes(int16(fields[7]&1) * recordbatch.AttrControl)
		binary.BigEndian.PutUint32(b[recordbatch.PosLastOffsetDelta:], uint32(delta))
		binary.BigEndian.PutUint64(b[recordbatch.PosBaseTimestamp:], fuzzTimestamp)
		binary.BigEndian.PutUint64(b[recordbatch.PosMaxTimestamp:], fuzzTimestamp)
		binary.BigEndian.PutUint64(b[recordbatch.PosProducerID:], uint64(int64(int8(fields[0]))%6))
		binary.BigEndian.PutUint16(b[recordbatch.PosProducerEpoch:], uint16(fields[1]%3))
		copy(b[recordbatch.PosBaseSequence:recordbatch.PosBaseSequence+4], fields[2:6])
		binary.BigEndian.PutUint32(b[recordbatch.PosRecordCount:], uint32(delta+1))
		h.Seal()
		out = append(out, b...)
		next += int64(delta) + 1 + int64(fields[7]>>7) // sometimes a gap, as compaction leaves
	}
	return out
}
