package partitionlog

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/kqhq/kq/store/recordbatch"
)

// FuzzClean writes an arbitrary valid compacted log (the program in ops:
// records with keys from a small set, tombstones, batch boundaries with
// any codec, idempotent batches, cleanings and clock moves), cleans it
// until nothing is left to clean, and checks the invariant of compaction:
// every record kept is one written, unchanged, at its offset; for every
// key the last record read is the last one written (a key whose last
// write is a tombstone may be gone); and the cleaned log reopens byte
// for byte.
func FuzzClean(f *testing.F) {
	f.Add([]byte{0x01, 0x02, 0x09, 0x81, 0x03, 0x0a, 0x82, 0xc5, 0x01, 0x11, 0x84, 0x02, 0xff}, uint16(300), uint8(10))
	f.Add([]byte{0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x80, 0x08, 0x09, 0x83, 0xc1, 0x00, 0x84}, uint16(100), uint8(3))
	f.Add(bytes.Repeat([]byte{0x01, 0x0a, 0x92, 0x05, 0xc0}, 20), uint16(600), uint8(40))
	f.Fuzz(func(t *testing.T, ops []byte, segmentBytes uint16, mapSlots uint8) {
		if len(ops) > 200 {
			return
		}
		clock := newManualClock(1_000_000)
		l := compactLog(t, Config{SegmentBytes: int64(segmentBytes%2000) + 200, DeleteRetentionMs: 1000}, clock)
		w := fuzzLogWriter{t: t, l: l, clock: clock, th: testThread(int64(mapSlots%64+2) * mapSlotBytes)}
		for i, op := range ops {
			w.step(i, op)
		}
		w.flush(0)
		rollNow(t, l)
		for range 200 {
			if !w.clean() {
				break
			}
		}
		w.check()
	})
}

// fuzzLogWriter turns fuzz bytes into log operations and remembers every
// record written.
type fuzzLogWriter struct {
	t       *testing.T
	l       *Log
	clock   *manualClock
	th      *cleanerThread
	pending []string
	written []storedRecord
	nextSeq int32
}

// step runs one op: 0bkpkkkkk adds a record of key b*32+kkkkk (a
// tombstone when p is set), 10xpcccc ends the batch (codec c%5, an
// idempotent producer's when p), 11tttttt ends the batch, rolls, moves the
// clock t*100 ms and cleans.
func (w *fuzzLogWriter) step(i int, op byte) {
	switch op >> 6 {
	case 0, 1:
		rec := fmt.Sprintf("k%d", int(op&31)+32*int(op>>6))
		if op&32 == 0 {
			rec += fmt.Sprintf("=v%d", i)
		}
		w.pending = append(w.pending, rec)
	case 2:
		w.flush(op)
	default:
		w.flush(0)
		rollNow(w.t, w.l)
		w.clock.advance(time.Duration(op&63) * 100 * time.Millisecond)
		w.clean()
	}
}

func (w *fuzzLogWriter) flush(op byte) {
	if len(w.pending) > 0 {
		w.appendBatch(op, w.pending)
	}
	w.pending = w.pending[:0]
}

// appendBatch writes recs as one batch, or as two halves when the batch
// would not fit segment.bytes.
func (w *fuzzLogWriter) appendBatch(op byte, recs []string) {
	spec := batchSpec{codec: recordbatch.Codec(op&15) % 5, baseTs: nowMs(w.clock), tsStep: 1}
	if op&16 != 0 {
		spec.producer, spec.seq = 3, w.nextSeq
	}
	b := keyedBatch(w.t, spec, recs...)
	info, err := w.l.Append(b, 0)
	if errors.Is(err, ErrRecordListTooLarge) && len(recs) > 1 {
		w.appendBatch(op, recs[:len(recs)/2])
		w.appendBatch(op, recs[len(recs)/2:])
		return
	}
	if err != nil {
		w.t.Fatal(err)
	}
	if op&16 != 0 {
		w.nextSeq += int32(len(recs))
	}
	for i, rec := range decodeRecords(w.t, b) {
		rec.offset = info.FirstOffset + int64(i)
		w.written = append(w.written, rec)
	}
}

// clean runs one cleaning and reports whether it made progress. A map too
// small for the first dirty batch is a legitimate outcome: the log stays
// as it is.
func (w *fuzzLogWriter) clean() bool {
	_, err := cleanOnce(w.t, w.l, w.th, nowMs(w.clock))
	if errors.Is(err, errNothingToClean) || errors.Is(err, errMapTooSmall) {
		return false
	}
	if err != nil {
		w.t.Fatal(err)
	}
	return true
}

func (w *fuzzLogWriter) check() {
	t := w.t
	after := logRecords(t, w.l)
	checkSubsequence(t, w.written, after)
	latest := latestByKey(w.written)
	lastRead := latestByKey(after)
	for key, want := range latest {
		got, ok := lastRead[key]
		switch {
		case want.tombstone && (!ok || got == want):
		case !ok || got != want:
			t.Fatalf("key %s: last record read %v (present %v), last written %v", key, got, ok, want)
		}
	}
	data := readAll(t, w.l, 0)
	if got := readAll(t, reopen(t, w.l, false, 0), 0); !bytes.Equal(got, data) {
		t.Fatal("the cleaned log changed across recovery")
	}
}
