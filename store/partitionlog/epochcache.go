package partitionlog

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"sync"

	"github.com/kqhq/kq/store/vfs"
)

// EpochEntry says leader epoch Epoch wrote its first batch at StartOffset.
type EpochEntry struct {
	Epoch       int32
	StartOffset int64
}

// LeaderEpochCache is Kafka's LeaderEpochFileCache: the sequence of
// (epoch, start offset) pairs behind OffsetForLeaderEpoch, kept in the
// partition's leader-epoch-checkpoint file, which is rewritten on every
// change. Entries increase in both fields. It is safe for concurrent use.
type LeaderEpochCache struct {
	mu      sync.RWMutex
	fs      vfs.FS
	path    string
	entries []EpochEntry
	dirty   bool // changed by recovery, not yet written
}

// Undefined epoch and offset, as OffsetForLeaderEpoch answers them.
const (
	UndefinedEpoch       int32 = -1
	UndefinedEpochOffset int64 = -1
)

func loadLeaderEpochCache(fsys vfs.FS, dir string) (*LeaderEpochCache, error) {
	c := &LeaderEpochCache{fs: fsys, path: filepath.Join(dir, leaderEpochFile)}
	lines, err := readCheckpointFile(fsys, c.path, 2)
	if err != nil {
		return nil, err
	}
	for _, f := range lines {
		e, errE := strconv.ParseInt(f[0], 10, 32)
		o, errO := strconv.ParseInt(f[1], 10, 64)
		if errE != nil || errO != nil {
			return nil, fmt.Errorf("%s: line %q: %w", c.path, f, errBadCheckpoint)
		}
		c.assign(EpochEntry{Epoch: int32(e), StartOffset: o})
	}
	return c, nil
}

// Assign records that epoch starts at startOffset, as Kafka's assign: a new
// entry replaces every entry with an epoch or start offset >= its own. It is
// a no-op when the latest entry already says the same or less. The broker
// calls it when it becomes leader (start offset = log end offset); appends
// call it for every batch carrying a new epoch.
func (c *LeaderEpochCache) Assign(epoch int32, startOffset int64) error {
	if epoch < 0 || startOffset < 0 {
		return fmt.Errorf("assign epoch %d at %d: negative value: %w", epoch, startOffset, ErrInvalidRecord)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.assign(EpochEntry{Epoch: epoch, StartOffset: startOffset}) {
		return nil
	}
	return c.flushLocked()
}

func (c *LeaderEpochCache) assign(e EpochEntry) bool {
	if n := len(c.entries); n > 0 {
		last := c.entries[n-1]
		if e.Epoch == last.Epoch && e.StartOffset >= last.StartOffset {
			return false
		}
	}
	c.entries = slices.DeleteFunc(c.entries, func(x EpochEntry) bool {
		return x.Epoch >= e.Epoch || x.StartOffset >= e.StartOffset
	})
	c.entries = append(c.entries, e)
	return true
}

// assignUnflushed is Assign without the file write, for recovery, which
// may meet many epochs; flushIfDirty writes once at the end.
func (c *LeaderEpochCache) assignUnflushed(epoch int32, startOffset int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if epoch >= 0 && startOffset >= 0 && c.assign(EpochEntry{Epoch: epoch, StartOffset: startOffset}) {
		c.dirty = true
	}
}

func (c *LeaderEpochCache) flushIfDirty() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.dirty {
		return nil
	}
	return c.flushLocked()
}

// LatestEpoch returns the newest epoch; ok is false when the cache is empty.
func (c *LeaderEpochCache) LatestEpoch() (epoch int32, ok bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if len(c.entries) == 0 {
		return UndefinedEpoch, false
	}
	return c.entries[len(c.entries)-1].Epoch, true
}

// Entries returns a copy of the entries, oldest first.
func (c *LeaderEpochCache) Entries() []EpochEntry {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return slices.Clone(c.entries)
}

// EndOffsetFor answers OffsetForLeaderEpoch as Kafka's endOffsetFor: the
// largest epoch <= the requested one and the offset where the next epoch
// starts (the log end offset for the latest epoch). An unknown epoch above
// all entries, or the undefined epoch, gives (-1, -1); one below all entries
// gives (requested, first start offset).
func (c *LeaderEpochCache) EndOffsetFor(epoch int32, logEndOffset int64) (int32, int64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	n := len(c.entries)
	if epoch == UndefinedEpoch || n == 0 {
		return UndefinedEpoch, UndefinedEpochOffset
	}
	if c.entries[n-1].Epoch == epoch {
		return epoch, logEndOffset
	}
	higher, _ := slices.BinarySearchFunc(c.entries, epoch+1, func(e EpochEntry, t int32) int { return int(e.Epoch) - int(t) })
	switch {
	case higher == n:
		return UndefinedEpoch, UndefinedEpochOffset
	case higher == 0:
		return epoch, c.entries[0].StartOffset
	}
	return c.entries[higher-1].Epoch, c.entries[higher].StartOffset
}

// EpochForOffset returns the epoch that wrote offset; ok is false when the
// offset precedes every entry.
func (c *LeaderEpochCache) EpochForOffset(offset int64) (int32, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	i, found := slices.BinarySearchFunc(c.entries, offset, func(e EpochEntry, t int64) int { return cmpInt64(e.StartOffset, t) })
	if found {
		return c.entries[i].Epoch, true
	}
	if i == 0 {
		return UndefinedEpoch, false
	}
	return c.entries[i-1].Epoch, true
}

// truncateFromEnd drops the entries starting at or after endOffset (the log
// was truncated there).
func (c *LeaderEpochCache) truncateFromEnd(endOffset int64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(c.entries)
	c.entries = slices.DeleteFunc(c.entries, func(e EpochEntry) bool { return e.StartOffset >= endOffset })
	if len(c.entries) == n {
		return nil
	}
	return c.flushLocked()
}

// truncateFromStart drops the entries wholly below startOffset (the log
// start moved); the epoch covering startOffset is kept, starting there.
func (c *LeaderEpochCache) truncateFromStart(startOffset int64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	i, _ := slices.BinarySearchFunc(c.entries, startOffset+1, func(e EpochEntry, t int64) int { return cmpInt64(e.StartOffset, t) })
	if i == 0 {
		return nil // nothing starts at or before startOffset
	}
	kept := c.entries[i-1]
	if i == 1 && kept.StartOffset == startOffset {
		return nil
	}
	kept.StartOffset = startOffset
	c.entries = append([]EpochEntry{kept}, c.entries[i:]...)
	return c.flushLocked()
}

// clear empties the cache (the log was emptied).
func (c *LeaderEpochCache) clear() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = nil
	return c.flushLocked()
}

func (c *LeaderEpochCache) flushLocked() error {
	c.dirty = false
	lines := make([]string, len(c.entries))
	for i, e := range c.entries {
		lines[i] = fmt.Sprintf("%d %d", e.Epoch, e.StartOffset)
	}
	return writeCheckpointFile(c.fs, c.path, lines)
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
