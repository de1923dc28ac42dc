package partitionlog

import (
	"errors"
	"fmt"
	"io"

	"github.com/kqhq/kq/store/vfs"
)

// ReadResult is a region of one segment file: whole batches starting with
// the batch that holds the requested offset. The broker sends it with
// sendfile(2) in its offset-pointer form (Pos passed explicitly), so
// concurrent readers never share a file position and record bytes never
// pass through user space (the log's files on the OS filesystem are
// *os.File; see package vfs). Len is 0 when there is nothing to return; File
// is then nil.
//
// The file stays readable after retention or truncation removes the
// segment, for file.delete.delay.ms; a read must be sent within that time.
type ReadResult struct {
	File        vfs.File
	Pos         int64
	Len         int32
	FirstOffset int64 // base offset of the first batch; -1 when empty
	// NextOffset is the offset after the last batch of the region (or the
	// base of the batch that follows it); -1 when empty. A read_committed
	// fetch lists the aborted transactions below it.
	NextOffset int64
	// OlderSegment: the region is on a segment older than the one holding
	// the read's end (maxOffset, capped at the log end). Waiting cannot
	// make this read return more, so a delayed fetch answers at once, as
	// Kafka's DelayedFetch when the fetch offset is on an older segment.
	OlderSegment bool
}

func emptyRead() ReadResult { return ReadResult{FirstOffset: -1, NextOffset: -1} }

// WriteTo copies the region to w with positioned reads (a fallback and a
// test helper; the broker should use sendfile).
func (r ReadResult) WriteTo(w io.Writer) (int64, error) {
	if r.Len == 0 {
		return 0, nil
	}
	n, err := io.Copy(w, io.NewSectionReader(r.File, r.Pos, int64(r.Len)))
	if err == nil && n < int64(r.Len) {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		return n, fmt.Errorf("copy %s [%d,+%d): %w", r.File.Name(), r.Pos, r.Len, err)
	}
	return n, nil
}

// Bytes reads the region into memory.
func (r ReadResult) Bytes() ([]byte, error) {
	if r.Len == 0 {
		return nil, nil
	}
	b := make([]byte, r.Len)
	if _, err := r.File.ReadAt(b, r.Pos); err != nil && !(errors.Is(err, io.EOF) && len(b) == int(r.Len)) {
		return nil, fmt.Errorf("read %s [%d,+%d): %w", r.File.Name(), r.Pos, r.Len, err)
	}
	return b, nil
}
