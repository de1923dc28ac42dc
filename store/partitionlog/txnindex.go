package partitionlog

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/kqhq/kq/store/vfs"
)

// The aborted transaction index, <base>.txnindex, is Kafka's
// TransactionIndex: one entry per transaction aborted by a marker in the
// segment, in marker order, big-endian:
//
//	offset  size  field
//	------  ----  ---------------------------------------------------
//	     0     2  version (0)
//	     2     8  producer id
//	    10     8  first offset of the transaction
//	    18     8  last offset (the ABORT marker's)
//	    26     8  last stable offset when the marker was written
//
// The file exists only once the segment has an entry. Entries are also
// held in memory (aborts are rare, 34 bytes each), so a read_committed
// fetch never touches the file.
const (
	txnIndexSuffix    = ".txnindex"
	txnIndexEntrySize = 34
	txnIndexVersion   = 0
)

// AbortedTxn is one entry of the aborted transaction index.
type AbortedTxn struct {
	ProducerID       int64
	FirstOffset      int64
	LastOffset       int64 // the ABORT marker's offset
	LastStableOffset int64
}

// errCorruptTxnIndex marks a .txnindex entry that does not decode.
var errCorruptTxnIndex = errors.New("corrupt transaction index")

func appendTxnIndexEntry(buf []byte, e AbortedTxn) []byte {
	buf = binary.BigEndian.AppendUint16(buf, txnIndexVersion)
	buf = binary.BigEndian.AppendUint64(buf, uint64(e.ProducerID))
	buf = binary.BigEndian.AppendUint64(buf, uint64(e.FirstOffset))
	buf = binary.BigEndian.AppendUint64(buf, uint64(e.LastOffset))
	return binary.BigEndian.AppendUint64(buf, uint64(e.LastStableOffset))
}

// decodeTxnIndex decodes a file's bytes. A torn tail (a crash in the middle
// of an entry) is not an error: whole reports how many bytes hold whole
// entries, and the caller cuts the rest. An entry of another version is.
func decodeTxnIndex(data []byte) (entries []AbortedTxn, whole int, err error) {
	be := binary.BigEndian
	for p := data; len(p) >= txnIndexEntrySize; p = p[txnIndexEntrySize:] {
		if v := int16(be.Uint16(p)); v != txnIndexVersion {
			return nil, 0, fmt.Errorf("entry %d has version %d: %w", len(entries), v, errCorruptTxnIndex)
		}
		e := AbortedTxn{ProducerID: int64(be.Uint64(p[2:])), FirstOffset: int64(be.Uint64(p[10:])),
			LastOffset: int64(be.Uint64(p[18:])), LastStableOffset: int64(be.Uint64(p[26:]))}
		if e.FirstOffset > e.LastOffset {
			return nil, 0, fmt.Errorf("entry %d spans %d..%d: %w", len(entries), e.FirstOffset, e.LastOffset, errCorruptTxnIndex)
		}
		entries = append(entries, e)
	}
	return entries, len(entries) * txnIndexEntrySize, nil
}

// txnIndex is a segment's aborted transactions. entries is published for
// readers (append-only between truncations: a reader's slice stays valid);
// f is the writer's, opened at the first append.
type txnIndex struct {
	entries atomic.Pointer[[]AbortedTxn]
	mu      sync.Mutex // guards f: flushes run beside the writer
	f       vfs.File
}

func (x *txnIndex) list() []AbortedTxn {
	if p := x.entries.Load(); p != nil {
		return *p
	}
	return nil
}

// loadTxnIndex reads the segment's .txnindex, if any, cutting a torn tail.
// A file that does not decode is removed: recovery rebuilds what it can
// only for the segments it recovers, so the error is returned too.
func (s *segment) loadTxnIndex() error {
	path := s.path(txnIndexSuffix)
	data, err := vfs.ReadFile(s.fs, path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	entries, whole, err := decodeTxnIndex(data)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if whole < len(data) {
		if err := s.fs.Truncate(path, int64(whole)); err != nil {
			return fmt.Errorf("cut the torn tail of %s: %w", path, err)
		}
	}
	s.txns.entries.Store(&entries)
	return nil
}

// appendAborted adds an entry, creating the file at the first one.
func (s *segment) appendAborted(e AbortedTxn) error {
	s.txns.mu.Lock()
	defer s.txns.mu.Unlock()
	if s.txns.f == nil {
		f, err := s.fs.OpenAppend(s.path(txnIndexSuffix))
		if err != nil {
			return fmt.Errorf("open transaction index: %w", err)
		}
		s.txns.f = f
	}
	if _, err := s.txns.f.Write(appendTxnIndexEntry(nil, e)); err != nil {
		return fmt.Errorf("append to %s: %w", s.txns.f.Name(), err)
	}
	next := append(s.txns.list(), e)
	s.txns.entries.Store(&next)
	return nil
}

// truncateAborted drops the entries whose marker is at or after offset.
func (s *segment) truncateAborted(offset int64) error {
	old := s.txns.list()
	n := len(old)
	for n > 0 && old[n-1].LastOffset >= offset {
		n--
	}
	if n == len(old) {
		return nil
	}
	kept := append([]AbortedTxn(nil), old[:n]...) // a new array: readers keep the old one
	s.txns.entries.Store(&kept)
	err := s.fs.Truncate(s.path(txnIndexSuffix), int64(n*txnIndexEntrySize))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("truncate transaction index: %w", err)
	}
	return nil
}

// resetAborted forgets every entry and removes the file (recovery writes
// it again from the segment's markers).
func (s *segment) resetAborted() error {
	s.txns.entries.Store(nil)
	err := s.closeTxnIndex()
	if rerr := s.fs.Remove(s.path(txnIndexSuffix)); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
		err = errors.Join(err, fmt.Errorf("remove transaction index: %w", rerr))
	}
	return err
}

func (s *segment) syncTxnIndex() error {
	s.txns.mu.Lock()
	defer s.txns.mu.Unlock()
	if s.txns.f == nil {
		return nil
	}
	if err := s.txns.f.Sync(); err != nil {
		return fmt.Errorf("fsync %s: %w", s.txns.f.Name(), err)
	}
	return nil
}

func (s *segment) closeTxnIndex() error {
	s.txns.mu.Lock()
	defer s.txns.mu.Unlock()
	if s.txns.f == nil {
		return nil
	}
	err := s.txns.f.Close()
	s.txns.f = nil
	return err
}

// collectAborted appends the segment's entries overlapping [from, upTo)
// (Kafka's TransactionIndex.collectAbortedTxns) and reports whether the
// search is complete: an entry whose last stable offset reaches upTo
// proves no later segment holds an overlapping one (every transaction
// still open then starts at or after it). Entries are in marker order, so
// those ending before from are skipped by a binary search rather than
// read one by one as Kafka does; the answer is the same.
func (s *segment) collectAborted(out []AbortedTxn, from, upTo int64) ([]AbortedTxn, bool) {
	list := s.txns.list()
	i := sort.Search(len(list), func(i int) bool { return list[i].LastOffset >= from })
	for _, e := range list[i:] {
		if e.LastOffset >= from && e.FirstOffset < upTo {
			out = append(out, e)
		}
		if e.LastStableOffset >= upTo {
			return out, true
		}
	}
	return out, false
}

// writeCleanedTxnIndex writes the .txnindex.cleaned of a cleaned segment:
// the entries of the segments it replaces, in order (the cleaner keeps
// every transactional and control batch, so they all still apply). None,
// no file.
func writeCleanedTxnIndex(out *segment, group []*segment) error {
	var buf []byte
	for _, seg := range group {
		for _, e := range seg.txns.list() {
			buf = appendTxnIndexEntry(buf, e)
		}
	}
	if len(buf) == 0 {
		return nil
	}
	if err := writeFileAtomic(out.fs, out.path(txnIndexSuffix)+cleanedSuffix, buf); err != nil {
		return fmt.Errorf("cleaned segment %d: %w", out.base, err)
	}
	return nil
}
