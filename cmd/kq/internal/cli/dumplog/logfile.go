package dumplog

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/store/logdump"
	"github.com/kqhq/kq/store/recordbatch"
)

// dumpLog prints a segment's batches (and records with --deep-iteration),
// then the bytes at its end that are not a whole batch.
func dumpLog(opts *Options, s *sink, p *problems, path string, base int64) error {
	s.line(fmt.Sprintf("Log starting offset: %d", base), func(d *fileDump) { d.LogStartOffset = &base })
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	seg := logdump.NewSegment(f, st.Size(), int64(opts.MaxBytes))
	w := &recordWalker{opts: opts, s: s, p: p, path: path, lastOffset: -1}
	var failed error
	for {
		b, err := seg.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if !errors.Is(err, logdump.ErrCorrupt) && !errors.Is(err, recordbatch.ErrTruncated) {
				return err // the file could not be read
			}
			fmt.Fprintf(opts.IO.ErrOut, "%s: %v\n", path, err)
			break
		}
		var err2 error
		if b.Legacy != nil {
			bo := newLegacyBatchOut(b)
			s.line(legacyBatchText(b), func(d *fileDump) { d.Batches = append(d.Batches, bo) })
			if opts.DeepIteration {
				err2 = w.legacyRecords(b, bo)
			}
		} else {
			bo := newBatchOut(b)
			s.batch(bo)
			if opts.DeepIteration {
				err2 = w.records(b, bo)
			}
		}
		if err2 != nil && failed == nil {
			failed = err2
		}
	}
	if trailing := st.Size() - seg.Position(); trailing > 0 && opts.MaxBytes == math.MaxInt32 {
		s.line(fmt.Sprintf("Found %d invalid bytes at the end of %s", trailing, filepath.Base(path)),
			func(d *fileDump) { d.InvalidBytes = trailing })
	}
	return failed
}

// recordWalker prints the records of a segment's batches, noting offsets
// that do not follow each other.
type recordWalker struct {
	opts       *Options
	s          *sink
	p          *problems
	path       string
	lastOffset int64
	it         recordbatch.Records
}

// records prints b's records; records that do not decode are reported on
// standard error and end the batch.
func (w *recordWalker) records(b logdump.Batch, bo *batchOut) error {
	defer w.it.Close()
	if err := w.it.Reset(b.Header, recordbatch.Limit(int32(min(w.opts.MaxMessageSize, math.MaxInt32)))); err != nil {
		return w.fail(b, err)
	}
	for range max(b.RecordCount(), 0) {
		rec, err := w.it.Next()
		if err != nil {
			return w.fail(b, err)
		}
		w.s.record(bo, w.recordOut(b, rec), w.opts.SkipRecordMetadata)
	}
	if err := w.it.Finish(); err != nil {
		return w.fail(b, err)
	}
	return nil
}

func (w *recordWalker) fail(b logdump.Batch, err error) error {
	err = fmt.Errorf("records of the batch at position %d: %w", b.Position, err)
	fmt.Fprintf(w.opts.IO.ErrOut, "%s: %v\n", w.path, err)
	return err
}

func (w *recordWalker) recordOut(b logdump.Batch, rec *kmsg.Record) recordOut {
	offset := b.BaseOffset() + int64(rec.OffsetDelta)
	w.noteOffset(offset)
	r := recordOut{
		Offset: offset, Timestamp: recordTimestamp(b.Header, rec),
		KeySize: sizeOf(rec.Key), ValueSize: sizeOf(rec.Value),
		Sequence: sequenceAt(b.BaseSequence(), rec.OffsetDelta), HeaderKeys: make([]string, 0, len(rec.Headers)),
	}
	for _, h := range rec.Headers {
		r.HeaderKeys = append(r.HeaderKeys, h.Key)
	}
	if b.Control() {
		r.Control = controlText(rec)
	} else if w.opts.PrintDataLog {
		r.Key, r.Payload = w.opts.Parser(offset, rec.Key, rec.Value)
	}
	return r
}

// noteOffset reports an offset that does not follow the previous record's.
func (w *recordWalker) noteOffset(offset int64) {
	if w.lastOffset != -1 && offset != w.lastOffset+1 {
		w.p.nonConsecutive(w.path, w.lastOffset, offset)
	}
	w.lastOffset = offset
}

// recordTimestamp is the record's timestamp as Kafka reads it: the
// batch's max timestamp when the broker stamped it (LogAppendTime).
func recordTimestamp(h recordbatch.Header, rec *kmsg.Record) int64 {
	if h.LogAppendTime() {
		return h.MaxTimestamp()
	}
	return h.BaseTimestamp() + rec.TimestampDelta64
}

func sizeOf(b []byte) int {
	if b == nil {
		return -1
	}
	return len(b)
}

// controlTypes are Kafka's ControlRecordType names.
var controlTypes = map[int16]string{0: "ABORT", 1: "COMMIT", 2: "LEADER_CHANGE", 3: "SNAPSHOT_HEADER",
	4: "SNAPSHOT_FOOTER", 5: "KRAFT_VERSION", 6: "KRAFT_VOTERS"}

// controlText describes a control record as DumpLogSegments does: the
// transaction marker, or the control type for the KRaft ones kq never
// writes.
func controlText(rec *kmsg.Record) string {
	var key kmsg.ControlRecordKey
	if len(rec.Key) < 4 || key.ReadFrom(rec.Key) != nil {
		return " controlType: UNKNOWN(-1)"
	}
	name, ok := controlTypes[int16(key.Type)]
	if !ok {
		return fmt.Sprintf(" controlType: UNKNOWN(%d)", int16(key.Type))
	}
	if key.Type > 1 {
		return fmt.Sprintf(" controlType: %s(%d)", name, int16(key.Type))
	}
	var m kmsg.EndTxnMarker
	if len(rec.Value) < 6 || m.ReadFrom(rec.Value) != nil {
		return fmt.Sprintf(" endTxnMarker: %s (a value of %d bytes does not decode)", name, len(rec.Value))
	}
	return fmt.Sprintf(" endTxnMarker: %s coordinatorEpoch: %d", name, m.CoordinatorEpoch)
}
