package partitionlog

import (
	"fmt"
	"os"
	"sync/atomic"

	"github.com/kqhq/kq/store/vfs"
)

// indexFile is the mapped storage shared by the offset and time indexes: a
// preallocated file of fixed-size big-endian entries. Entries are appended
// by the single writer; readers see only the first count entries, published
// atomically after each entry is complete.
type indexFile struct {
	fs        vfs.FS
	path      string
	entrySize int
	data      []byte       // the mapping; may be longer than the file
	fileLen   atomic.Int64 // current file length (preallocated while active)
	count     atomic.Int64
	// reserved is the length from the start whose disk blocks are known
	// to exist (see reserve); the writer's alone.
	reserved int64
}

// reserveAhead is how much index space one reservation takes at a time:
// one fallocate per 8192 offset index entries, about 32 MiB of log at the
// default index.interval.bytes.
const reserveAhead = 64 << 10

// openIndexFile opens or creates path and maps max(file size, capacity)
// bytes. The entry count starts at the whole-entry length of the file; the
// caller drops a zero-filled preallocated tail with dropZeroTail. A length
// that is not a whole number of entries is reported as damage.
func openIndexFile(fsys vfs.FS, path string, entrySize int, capacity int) (*indexFile, bool, error) {
	f, err := fsys.OpenOrCreate(path)
	if err != nil {
		return nil, false, fmt.Errorf("open index %s: %w", path, err)
	}
	defer f.Close() // the mapping outlives the descriptor
	st, err := f.Stat()
	if err != nil {
		return nil, false, fmt.Errorf("stat index %s: %w", path, err)
	}
	whole := int(st.Size()) / entrySize * entrySize
	mapLen := max(whole, capacity/entrySize*entrySize)
	data, err := mapFile(f, mapLen)
	if err != nil {
		return nil, false, err
	}
	ix := &indexFile{fs: fsys, path: path, entrySize: entrySize, data: data}
	// The pages of the entries written are on disk; the rest of a
	// preallocated file may be a hole.
	ix.reserved = int64(whole / os.Getpagesize() * os.Getpagesize())
	ix.fileLen.Store(st.Size())
	ix.count.Store(int64(whole / entrySize))
	return ix, int(st.Size()) == whole, nil
}

func (ix *indexFile) entries() int    { return int(ix.count.Load()) }
func (ix *indexFile) maxEntries() int { return len(ix.data) / ix.entrySize }
func (ix *indexFile) full() bool      { return ix.entries() >= ix.maxEntries() }

func (ix *indexFile) entry(i int) []byte {
	return ix.data[i*ix.entrySize : (i+1)*ix.entrySize]
}

// reserve makes sure the disk blocks for n more entries exist before they
// are written through the mapping. A preallocated index is a sparse file:
// the first write to a page of its hole allocates a block, and on a full
// disk that write is a SIGBUS, which kills a Go process outright (Kafka's
// JVM survives it as an InternalError). fallocate(2) fails with ENOSPC
// instead, which takes the log dir offline like any other write error. Only
// the writer calls it, before slot.
func (ix *indexFile) reserve(n int) error {
	need := int64((ix.entries() + n) * ix.entrySize)
	if need <= ix.reserved {
		return nil
	}
	end := min(max(need, ix.reserved+reserveAhead), int64(len(ix.data)))
	if end <= ix.reserved {
		return nil // the index is full: nothing more is written
	}
	if err := ix.fs.Allocate(ix.path, ix.reserved, end-ix.reserved); err != nil {
		return fmt.Errorf("reserve space for index %s: %w", ix.path, err)
	}
	ix.reserved = end
	return nil
}

// slot returns the bytes of the next entry; the caller fills them and calls
// publish. Only the writer calls it, on an active (preallocated) file,
// after reserve.
func (ix *indexFile) slot() []byte { return ix.entry(ix.entries()) }
func (ix *indexFile) publish()     { ix.count.Add(1) }

// truncate keeps the first n entries and zeroes the rest, so a crash before
// the file is trimmed does not bring stale entries back.
func (ix *indexFile) truncate(n int) {
	old := ix.entries()
	if n >= old {
		return
	}
	ix.count.Store(int64(n))
	clear(ix.data[n*ix.entrySize : old*ix.entrySize])
}

// preallocate grows the file to the whole mapping so entries can be written.
func (ix *indexFile) preallocate() error { return ix.resize(int64(len(ix.data))) }

// trim cuts the file to its entries, as Kafka does on roll and close.
func (ix *indexFile) trim() error { return ix.resize(int64(ix.entries() * ix.entrySize)) }

func (ix *indexFile) resize(n int64) error {
	if n == ix.fileLen.Load() {
		return nil
	}
	if err := ix.fs.Truncate(ix.path, n); err != nil {
		return fmt.Errorf("resize index %s: %w", ix.path, err)
	}
	ix.fileLen.Store(n)
	ix.reserved = min(ix.reserved, n) // a cut file lost its blocks past n
	return nil
}

func (ix *indexFile) sync() error {
	n := min(int64(len(ix.data)), ix.fileLen.Load())
	if err := syncMapping(ix.data[:n]); err != nil {
		return fmt.Errorf("msync index %s: %w", ix.path, err)
	}
	return nil
}

func (ix *indexFile) close() error {
	err := unmap(ix.data)
	ix.data = nil
	ix.count.Store(0)
	if err != nil {
		return fmt.Errorf("munmap index %s: %w", ix.path, err)
	}
	return nil
}

// search returns the largest i in [0, n) with below(i) true, or -1; below
// must be true on a prefix of the entries.
func search(n int, below func(i int) bool) int {
	lo, hi := 0, n // answer in [lo-1, hi-1]
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if below(mid) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo - 1
}

// dropZeroTail lowers the count to the first all-zero entry at or after
// from. A preallocated file left untrimmed by a crash is zero past its real
// entries; valid entries are never all zero after index from.
func (ix *indexFile) dropZeroTail(from int) {
	n := ix.entries()
	isReal := func(i int) bool { return i < from || !allZero(ix.entry(i)) }
	ix.count.Store(int64(search(n, isReal) + 1))
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
