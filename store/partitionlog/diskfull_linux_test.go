package partitionlog

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/kqhq/kq/store/vfs"
)

// An index entry that needs disk space the index has not reserved yet
// asks for it first (fallocate), and a full disk fails that request with
// ENOSPC: the append is not acknowledged and the log goes offline. Without
// the reservation the entry would be written into a hole of the sparse,
// memory-mapped index, and on a full disk that write is a SIGBUS, which no
// Go program survives.
func TestIndexSpaceIsReservedBeforeUse(t *testing.T) {
	l, rules := faultyLog(t, Config{IndexIntervalBytes: 1})
	mustAppend(t, l, buildBatch(t, batchSpec{records: 1, valueSize: 10})) // at position 0: no index entry
	full := &vfs.Rule{Kinds: vfs.OpAllocate, Err: syscall.ENOSPC}
	rules.Add(full)
	end := l.LogEndOffset()
	_, err := l.Append(buildBatch(t, batchSpec{records: 1, valueSize: 10}), 0)
	wantStorageError(t, err, syscall.ENOSPC)
	if full.Failed() == 0 || l.LogEndOffset() != end {
		t.Fatalf("reservations failed %d, log end %d (was %d)", full.Failed(), l.LogEndOffset(), end)
	}
}

// The same on a real full file system (a tmpfs, so root only): appends
// fill the offset index up to the end of its reserved space, the disk
// fills up, and the next append, whose batch still fits the segment's last
// page but whose index entry needs a new one, fails with the storage error
// instead of killing the process.
func TestFullTmpfsFailsIndexWritesCleanly(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "small")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=4m"); err != nil {
		t.Skipf("cannot mount a tmpfs (needs root): %v", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, 0) })
	o := logOptions{fs: vfs.OS{}, dir: filepath.Join(dir, testTP.dirName()), tp: testTP, cfg: Config{IndexIntervalBytes: 1},
		clock: newManualClock(1_000_000), logger: discardLogger()}
	l, err := createLog(o, [16]byte{1})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	// One entry per batch after the first: n batches fill the reserved
	// offset index exactly, and the segment's last page keeps room for one
	// more batch.
	n := reserveAhead/offsetIndexEntrySize + 1
	batch := batchFitting(t, n)
	for range n {
		mustAppend(t, l, batch)
	}
	fillUp(t, dir)
	_, err = l.Append(batch, 0)
	wantStorageError(t, err, syscall.ENOSPC)
}

// batchFitting returns a batch size such that after n of them the
// segment's last page has room for one more.
func batchFitting(t *testing.T, n int) []byte {
	page := os.Getpagesize()
	for size := 1; size < 200; size++ {
		b := buildBatch(t, batchSpec{records: 1, valueSize: size})
		if used := n * len(b) % page; used > 0 && used+len(b) <= page {
			return b
		}
	}
	t.Fatal("no batch size leaves room in the last page")
	return nil
}

// fillUp writes a file into dir until the file system is full.
func fillUp(t *testing.T, dir string) {
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			return
		}
	}
}
