package partitionlog

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/kqhq/kq/store/recordbatch"
	"github.com/kqhq/kq/store/vfs"
)

// Faults injected under a log through vfs.WithFaults: the log must never
// acknowledge what it did not write, never show a torn batch, and take its
// directory offline (ErrLogDirOffline, which the broker answers as
// KAFKA_STORAGE_ERROR) on any I/O error, as Kafka does.

// faultyLog creates a log whose files are reached through rules the test
// arms as it goes (none at first).
func faultyLog(t testing.TB, cfg Config) (*Log, *vfs.Rules) {
	t.Helper()
	rules := &vfs.Rules{}
	o := logOptions{
		fs: vfs.WithFaults(vfs.OS{}, rules), dir: filepath.Join(t.TempDir(), testTP.dirName()),
		tp: testTP, cfg: cfg, clock: newManualClock(1_000_000), logger: discardLogger(),
	}
	l, err := createLog(o, [16]byte{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l, rules
}

// wantStorageError checks err is the directory-offline error, caused by
// errno.
func wantStorageError(t testing.TB, err error, errno syscall.Errno) {
	t.Helper()
	if !errors.Is(err, ErrLogDirOffline) || !errors.Is(err, errno) {
		t.Fatalf("err %v, want %v caused by %v", err, ErrLogDirOffline, errno)
	}
}

// twoBatches appends two small batches and returns their bytes as read back.
func twoBatches(t testing.TB, l *Log) []byte {
	t.Helper()
	mustAppend(t, l, buildBatch(t, batchSpec{records: 3, valueSize: 10}))
	mustAppend(t, l, buildBatch(t, batchSpec{records: 2, valueSize: 10}))
	return readAll(t, l, 0)
}

func segmentFileSize(t testing.TB, dir string, base int64) int64 {
	t.Helper()
	st, err := os.Stat(segmentPath(dir, base, logSuffix))
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

// A write to the segment that fails (out of space or an I/O error, with or
// without a torn part on disk) is not acknowledged: the log end and size do
// not move, and the log goes offline. It stays offline when the disk works
// again, until a restart recovers exactly the batches written before.
func TestFailedAppendIsNotAcknowledged(t *testing.T) {
	tests := []struct {
		name  string
		errno syscall.Errno
		torn  int // bytes of the failed batch that reach the file
	}{
		{"no space, nothing written", syscall.ENOSPC, 0},
		{"no space in the header", syscall.ENOSPC, 20},
		{"no space in the records", syscall.ENOSPC, 150},
		{"I/O error", syscall.EIO, 0},
		{"I/O error after a whole header", syscall.EIO, recordbatch.HeaderSize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, rules := faultyLog(t, Config{})
			before := twoBatches(t, l)
			leo, size := l.LogEndOffset(), l.Size()
			full := &vfs.Rule{Kinds: vfs.OpWrite, Name: "*.log", Err: tt.errno, Short: tt.torn}
			rules.Add(full)

			_, err := l.Append(buildBatch(t, batchSpec{records: 5, valueSize: 100}), 0)
			wantStorageError(t, err, tt.errno)
			if full.Failed() != 1 || l.LogEndOffset() != leo || l.Size() != size {
				t.Fatalf("after the failed write: %d faults, log end %d (was %d), size %d (was %d)",
					full.Failed(), l.LogEndOffset(), leo, l.Size(), size)
			}
			if got := segmentFileSize(t, l.Dir(), 0); got != size+int64(tt.torn) {
				t.Fatalf("segment file holds %d bytes, want %d + %d torn", got, size, tt.torn)
			}
			if _, err := l.Read(0, 1<<20, 1<<62, true); !errors.Is(err, ErrLogDirOffline) {
				t.Fatalf("read from the failed log: %v", err)
			}

			full.Stop() // space returns: the directory stays offline until a restart
			if _, err := l.Append(buildBatch(t, batchSpec{}), 0); !errors.Is(err, ErrLogDirOffline) {
				t.Fatalf("append once the disk works again: %v", err)
			}
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			// An offline directory gets no clean-shutdown marker: recovery runs.
			l2 := openAgain(t, l, false, l.RecoveryPoint())
			if got := readAll(t, l2, 0); l2.LogEndOffset() != leo || !bytes.Equal(got, before) {
				t.Fatalf("after restart: log end %d (want %d), %d bytes (want %d)", l2.LogEndOffset(), leo, len(got), len(before))
			}
			if info := mustAppend(t, l2, buildBatch(t, batchSpec{})); info.FirstOffset != leo {
				t.Fatalf("append after restart at %d, want %d", info.FirstOffset, leo)
			}
		})
	}
}

// A torn write left on disk (a short write, then the log closed and opened
// through the real filesystem) is cut at open: the log keeps its last whole
// batch, whether the shutdown looked clean or not.
func TestTornAppendRecoversToTheLastWholeBatch(t *testing.T) {
	batch := buildBatch(t, batchSpec{records: 4, valueSize: 50})
	tests := []struct {
		name  string
		torn  int
		clean bool
	}{
		{"torn length field", 3, false},
		{"torn header", recordbatch.HeaderSize - 1, false},
		{"torn records", recordbatch.HeaderSize + 10, false},
		{"one byte missing", len(batch) - 1, false},
		{"torn header, clean marker", 30, true},
		{"one byte missing, clean marker", len(batch) - 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, rules := faultyLog(t, Config{IndexIntervalBytes: 1})
			before := twoBatches(t, l)
			leo, size := l.LogEndOffset(), l.Size()
			rules.Add(&vfs.Rule{Kinds: vfs.OpWrite, Name: "*.log", Err: syscall.ENOSPC, Short: tt.torn})
			_, err := l.Append(bytes.Clone(batch), 0)
			wantStorageError(t, err, syscall.ENOSPC)
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			if got := segmentFileSize(t, l.Dir(), 0); got != size+int64(tt.torn) {
				t.Fatalf("segment file holds %d bytes, want %d + %d torn", got, size, tt.torn)
			}

			l2 := openAgain(t, l, tt.clean, l.RecoveryPoint())
			if got := segmentFileSize(t, l2.Dir(), 0); got != size {
				t.Fatalf("recovered segment file holds %d bytes, want %d", got, size)
			}
			if got := readAll(t, l2, 0); l2.LogEndOffset() != leo || !bytes.Equal(got, before) {
				t.Fatalf("recovered log end %d (want %d), %d bytes (want %d)", l2.LogEndOffset(), leo, len(got), len(before))
			}
			if err := checkReadable(l2); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// An I/O error while reading a segment fails the read (no panic, no partial
// data) and takes the directory offline.
func TestReadIOError(t *testing.T) {
	tests := []struct {
		name string
		read func(l *Log) error
	}{
		{"fetch", func(l *Log) error { _, err := l.Read(0, 1<<20, 1<<62, true); return err }},
		{"fetch from the middle", func(l *Log) error { _, err := l.Read(4, 1<<20, 1<<62, true); return err }},
		{"offset for timestamp", func(l *Log) error { _, _, _, err := l.OffsetForTimestamp(1000); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, rules := faultyLog(t, Config{})
			twoBatches(t, l)
			rules.Add(&vfs.Rule{Kinds: vfs.OpRead, Name: "*.log", Err: syscall.EIO})
			wantStorageError(t, tt.read(l), syscall.EIO)
			if _, err := l.Append(buildBatch(t, batchSpec{}), 0); !errors.Is(err, ErrLogDirOffline) {
				t.Fatalf("append after the read error: %v", err)
			}
		})
	}
}

// A region handed to a fetch before the disk failed is copied with ReadAt
// (a faulty file offers no sendfile): the copy fails with the error, and
// returns no partial batch as if it were whole.
func TestSendingARegionOfAFailingFile(t *testing.T) {
	l, rules := faultyLog(t, Config{})
	twoBatches(t, l)
	r, err := l.Read(0, 1<<20, 1<<62, true)
	if err != nil || r.Len == 0 {
		t.Fatalf("read %+v: %v", r, err)
	}
	if _, ok := r.File.(syscall.Conn); ok {
		t.Fatal("a faulty file offers sendfile")
	}
	rules.Add(&vfs.Rule{Kinds: vfs.OpRead, Err: syscall.EIO})
	if _, err := r.WriteTo(io.Discard); !errors.Is(err, syscall.EIO) {
		t.Fatalf("copying the region: %v", err)
	}
	if b, err := r.Bytes(); !errors.Is(err, syscall.EIO) || b != nil {
		t.Fatalf("reading the region: %d bytes, %v", len(b), err)
	}
}

// A failed fsync is never reported durable: the recovery point stays where
// it was and the directory goes offline, whether the fsync was asked for
// (Flush), due to flush.messages, or the background one after a roll.
func TestFsyncFailure(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		// fail runs the operation whose fsync fails and returns its error
		// (nil for the roll, whose fsync runs in the background).
		fail func(t *testing.T, l *Log) error
	}{
		{"Flush", Config{}, func(t *testing.T, l *Log) error { return l.Flush() }},
		{"flush.messages", Config{FlushMessages: 1}, func(t *testing.T, l *Log) error {
			_, err := l.Append(buildBatch(t, batchSpec{}), 0)
			return err
		}},
		{"roll", Config{SegmentBytes: 300}, func(t *testing.T, l *Log) error {
			if _, err := l.Append(buildBatch(t, batchSpec{valueSize: 150}), 0); err != nil {
				t.Fatalf("the append that rolls: %v", err)
			}
			l.background.Wait() // the rolled segment's fsync
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, rules := faultyLog(t, tt.cfg)
			mustAppend(t, l, buildBatch(t, batchSpec{valueSize: 150}))
			rp := l.RecoveryPoint()
			fsync := &vfs.Rule{Kinds: vfs.OpSync, Err: syscall.EIO}
			rules.Add(fsync)
			if err := tt.fail(t, l); err != nil {
				wantStorageError(t, err, syscall.EIO)
			}
			if fsync.Failed() == 0 || l.RecoveryPoint() != rp {
				t.Fatalf("%d fsyncs failed; recovery point %d, was %d", fsync.Failed(), l.RecoveryPoint(), rp)
			}
			if err := l.Flush(); !errors.Is(err, ErrLogDirOffline) {
				t.Fatalf("flush after the failure: %v", err)
			}
		})
	}
}

// A roll that cannot write the producer snapshot fails the append that
// needed it before any byte of the append is written.
func TestRollFailureRefusesTheAppend(t *testing.T) {
	l, rules := faultyLog(t, Config{SegmentBytes: 300})
	mustAppend(t, l, buildBatch(t, batchSpec{valueSize: 150}))
	leo, size := l.LogEndOffset(), l.Size()
	rules.Add(&vfs.Rule{Kinds: vfs.OpOpen, Name: "*.snapshot.tmp", Err: syscall.ENOSPC})
	_, err := l.Append(buildBatch(t, batchSpec{valueSize: 150}), 0)
	wantStorageError(t, err, syscall.ENOSPC)
	if l.LogEndOffset() != leo || l.Size() != size || l.NumSegments() != 1 {
		t.Fatalf("log end %d (was %d), size %d (was %d), %d segments", l.LogEndOffset(), leo, l.Size(), size, l.NumSegments())
	}
}

// oneBatchSegments is a log whose every batch of one record is a segment of
// its own, offsets 0..n-1, with the high watermark at its end.
func oneBatchSegments(t *testing.T, n int) (*Log, *vfs.Rules) {
	t.Helper()
	l, rules := faultyLog(t, Config{SegmentBytes: 100, RetentionMs: 1})
	for range n {
		mustAppend(t, l, buildBatch(t, batchSpec{}))
	}
	l.SetHighWatermark(l.LogEndOffset())
	return l, rules
}

// A segment that cannot be renamed for deletion (truncation, retention,
// DeleteRecords) fails the operation and takes the directory offline: left
// under its live name, the restart would load it again.
func TestSegmentDeletionFailure(t *testing.T) {
	tests := []struct {
		name   string
		delete func(l *Log) error
	}{
		{"truncation", func(l *Log) error { return l.TruncateTo(1) }},
		{"full truncation", func(l *Log) error { return l.TruncateFullyAndStartAt(10) }},
		{"retention", func(l *Log) error { _, err := l.deleteOldSegments(nowMs(l.clock)); return err }},
		{"log start", func(l *Log) error { return l.AdvanceLogStartOffset(3) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, rules := oneBatchSegments(t, 4)
			rename := &vfs.Rule{Kinds: vfs.OpRename, Name: "*.log", Err: syscall.EIO}
			rules.Add(rename)
			wantStorageError(t, tt.delete(l), syscall.EIO)
			if rename.Failed() == 0 {
				t.Fatal("no rename failed")
			}
			if _, err := l.Append(buildBatch(t, batchSpec{}), 0); !errors.Is(err, ErrLogDirOffline) {
				t.Fatalf("append after the failed deletion: %v", err)
			}
		})
	}
}

// A follower's truncation whose deleted segments keep their live names must
// not bring them back as a mix: without the failure surfacing, the follower
// appended the leader's batch after the cut and the next open loaded the
// old, divergent batches after it; renaming oldest first could leave a
// hole. The reopened log must be the truncated log with the new batch, or
// the old log cut at a segment boundary at or after the truncation point.
func TestTruncatedSegmentsDoNotComeBack(t *testing.T) {
	for _, failing := range []string{"00000000000000000002.log", "00000000000000000003.log"} {
		t.Run(failing, func(t *testing.T) {
			l, rules := oneBatchSegments(t, 4)
			old := readAll(t, l, 0)
			first, err := l.Read(0, 1<<20, 1, true)
			if err != nil {
				t.Fatal(err)
			}
			rules.Add(&vfs.Rule{Kinds: vfs.OpRename, Name: failing, Err: syscall.EIO})
			truncated := old[:first.Len]
			if err := l.TruncateTo(1); err == nil {
				b := buildBatch(t, batchSpec{valueSize: 7})
				mustAppend(t, l, b)
				truncated = concat(truncated, b)
			}
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			l2 := openAgain(t, l, true, l.RecoveryPoint())
			got := readAll(t, l2, 0)
			if !bytes.Equal(got, truncated) && !(bytes.HasPrefix(old, got) && len(got) > int(first.Len)) {
				t.Fatalf("reopened log of %d bytes ending at %d is neither the truncated log (%d bytes) nor the old one (%d bytes) cut after the truncation point",
					len(got), l2.LogEndOffset(), len(truncated), len(old))
			}
		})
	}
}
