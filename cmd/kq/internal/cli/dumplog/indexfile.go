package dumplog

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"

	"github.com/kqhq/kq/store/logdump"
	"github.com/kqhq/kq/store/recordbatch"
)

// dumpIndex prints an offset index and checks each entry against the
// segment: the batch at the entry's position must end at its offset.
func dumpIndex(opts *Options, s *sink, p *problems, path string, base int64) error {
	log, err := os.Open(siblingPath(path, ".log"))
	if err != nil {
		return err // Kafka opens the segment first, and fails without it
	}
	defer log.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	entries := logdump.OffsetEntries(data, base)
	if len(data) < logdump.OffsetEntrySize {
		s.line(path+" is empty.", func(d *fileDump) { d.Empty = true })
		return nil
	}
	if opts.IndexSanityCheck {
		return sanity(s, path, logdump.CheckOffsetIndex(path, data, base))
	}
	for _, e := range entries {
		if last := lastOffsetAt(log, e.Position, opts.MaxMessageSize); last != e.Offset {
			p.indexMismatch(path, e.Offset, last)
		}
		if !opts.VerifyIndexOnly {
			s.line(fmt.Sprintf("offset: %d position: %d", e.Offset, e.Position),
				func(d *fileDump) { d.IndexEntries = append(d.IndexEntries, e) })
		}
	}
	return nil
}

func sanity(s *sink, path string, err error) error {
	if err != nil {
		return err
	}
	s.line(path+" passed sanity check.", func(d *fileDump) { d.PassedSanityCheck = true })
	return nil
}

// lastOffsetAt is the last offset of the batch at pos, -1 when no batch
// of at most maxSize bytes starts there.
func lastOffsetAt(log io.ReaderAt, pos int64, maxSize int) int64 {
	head := make([]byte, recordbatch.PosLastOffsetDelta+4)
	if pos < 0 {
		return -1
	}
	if _, err := log.ReadAt(head, pos); err != nil {
		return -1
	}
	h := recordbatch.Header(head)
	if h.Length() < recordbatch.MinLength || h.Size() > int64(maxSize) {
		return -1
	}
	return h.LastOffset()
}

// dumpTimeIndex prints a time index and checks each entry: its offset must
// end a batch whose greatest record timestamp is the entry's, and
// timestamps must grow.
func dumpTimeIndex(opts *Options, s *sink, p *problems, path string, base int64) error {
	log, err := os.Open(siblingPath(path, ".log"))
	if err != nil {
		return err
	}
	defer log.Close()
	st, err := log.Stat()
	if err != nil {
		return err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if opts.IndexSanityCheck {
		return sanity(s, path, logdump.CheckTimeIndex(path, data, base))
	}
	offsets, err := readOffsetIndex(siblingPath(path, ".index"), base)
	if err != nil {
		return err
	}
	prev := int64(-1) // Kafka's NO_TIMESTAMP
	seg := logdump.NewSegment(log, 0, 0)
	for _, e := range logdump.TimeEntries(data, base) {
		checkTimeEntry(opts, p, path, seg, log, st.Size(), logdump.LookupPosition(offsets, e.Offset), e, prev)
		if !opts.VerifyIndexOnly {
			s.line(fmt.Sprintf("timestamp: %d offset: %d", e.Timestamp, e.Offset),
				func(d *fileDump) { d.IndexEntries = append(d.IndexEntries, e) })
		}
		prev = e.Timestamp
	}
	return nil
}

// readOffsetIndex reads the segment's offset index; a missing one is no
// entries, so a time index scan starts at the segment's start.
func readOffsetIndex(path string, base int64) ([]logdump.OffsetEntry, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return logdump.OffsetEntries(data, base), nil
}

func checkTimeEntry(opts *Options, p *problems, path string, seg *logdump.Segment, log io.ReaderAt, size, pos int64, e logdump.TimeEntry, prev int64) {
	if pos < 0 || pos > size {
		p.shallowNotFound(path, e.Offset, -1)
		return
	}
	seg.Reset(io.NewSectionReader(log, pos, size-pos), size-pos, math.MaxInt64)
	for {
		b, err := seg.Next()
		if err != nil {
			p.shallowNotFound(path, e.Offset, -1)
			return
		}
		if b.LastOffset() < e.Offset {
			continue
		}
		if b.LastOffset() != e.Offset {
			p.shallowNotFound(path, e.Offset, b.LastOffset())
			return
		}
		if highest := maxRecordTimestamp(b, opts.MaxMessageSize); highest != e.Timestamp {
			p.timestampMismatch(path, e.Timestamp, highest)
		}
		if prev >= e.Timestamp {
			p.outOfOrder(path, e.Timestamp, prev)
		}
		return
	}
}

// maxRecordTimestamp is the greatest timestamp among b's records, -1 when
// they do not decode.
func maxRecordTimestamp(b logdump.Batch, maxMessageSize int) int64 {
	it, err := recordbatch.Open(b.Header, recordbatch.Limit(int32(min(maxMessageSize, math.MaxInt32))))
	if err != nil {
		return -1
	}
	defer it.Close()
	highest := int64(-1)
	for range max(b.RecordCount(), 0) {
		rec, err := it.Next()
		if err != nil {
			return highest
		}
		highest = max(highest, recordTimestamp(b.Header, rec))
	}
	return highest
}
