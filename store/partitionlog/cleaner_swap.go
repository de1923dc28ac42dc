package partitionlog

import (
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/kqhq/kq/store/vfs"
)

// swapCleaned replaces the segments of group by the cleaned segment written
// as <base>.*.cleaned, crash-safely as Kafka's replaceSegments:
//
//  1. the .cleaned files (complete and fsynced) are renamed .swap and the
//     directory fsynced: from here recovery completes the swap;
//  2. the old segments' files are renamed .deleted (their descriptors stay
//     open for reads in flight);
//  3. the .swap files lose their suffix, the directory is fsynced;
//  4. the new segment takes the old ones' place in the list in one step
//     under the log's lock, so a reader sees either the old segments or the
//     new one; the old files are removed after file.delete.delay.ms.
//
// It runs under writeMu and gives up with errCleaningAborted when the
// log was truncated, closed or deleted, or the group's segments left it,
// since the cleaning began (generation gen).
func (l *Log) swapCleaned(group []*segment, base, gen int64, cfg Config, crash func(string) bool) error {
	l.writeMu.Lock()
	defer l.writeMu.Unlock()
	at, err := l.swappable(group, gen)
	if err != nil {
		return err
	}
	dir := l.Dir()
	if err := renameSegmentFiles(l.fs, dir, base, cleanedSuffix, swapSuffix, "swap", crash); err != nil {
		return l.swapFailed(err)
	}
	if err := l.fs.SyncDir(dir); err != nil {
		return l.swapFailed(err)
	}
	l.flushMu.Lock()
	defer l.flushMu.Unlock()
	for _, old := range group {
		if err := renameSegmentFiles(l.fs, dir, old.base, "", deletedSuffix, "delete", crash); err != nil {
			return l.swapFailed(err)
		}
	}
	if err := renameSegmentFiles(l.fs, dir, base, swapSuffix, "", "final", crash); err != nil {
		return l.swapFailed(err)
	}
	if err := l.fs.SyncDir(dir); err != nil {
		return l.swapFailed(err)
	}
	seg, err := openCleaned(l.fs, dir, base, cfg, nowMs(l.clock))
	if err != nil {
		return l.swapFailed(err)
	}
	l.mu.Lock()
	l.segs = append(l.segs[:at:at], append([]*segment{seg}, l.segs[at+len(group):]...)...)
	l.mu.Unlock()
	l.retire(group)
	return nil
}

// swappable checks, under writeMu, that the log is open, untruncated since
// generation gen, and still holds group as consecutive closed segments; it
// returns the group's index in the list.
func (l *Log) swappable(group []*segment, gen int64) (int, error) {
	if err := l.usable(); err != nil {
		return 0, fmt.Errorf("%w: %w", errCleaningAborted, err)
	}
	if l.cleaning.gen() != gen {
		return 0, fmt.Errorf("%s: truncated during cleaning: %w", l.tp, errCleaningAborted)
	}
	at := l.floorSegment(group[0].base)
	if at < 0 || at+len(group) >= len(l.segs) {
		return 0, fmt.Errorf("%s: segments left the log during cleaning: %w", l.tp, errCleaningAborted)
	}
	for i, s := range group {
		if l.segs[at+i] != s {
			return 0, fmt.Errorf("%s: segment %d left the log during cleaning: %w", l.tp, s.base, errCleaningAborted)
		}
	}
	return at, nil
}

// swapFailed reports an I/O failure in the middle of a swap: the files on
// disk are between two states only recovery knows how to finish, so the
// directory goes offline as Kafka's does.
func (l *Log) swapFailed(err error) error {
	if errors.Is(err, errSimulatedCrash) {
		return err
	}
	return l.ioFailed(fmt.Errorf("swap cleaned segment: %w", err))
}

// renameSegmentFiles renames <base>.log/.index/.timeindex+from to +to, the
// .log first (recovery goes by it), asking crash after each rename.
// Missing index files are skipped.
func renameSegmentFiles(fsys vfs.FS, dir string, base int64, from, to, step string, crash func(string) bool) error {
	for _, suffix := range segmentFileSuffixes {
		name := segmentPath(dir, base, suffix)
		err := fsys.Rename(name+from, name+to)
		if err != nil && !(suffix != logSuffix && errors.Is(err, fs.ErrNotExist)) {
			return fmt.Errorf("rename %s%s: %w", name, from, err)
		}
		if crash != nil && crash(fmt.Sprintf("%s %d%s", step, base, suffix)) {
			return errSimulatedCrash
		}
	}
	return nil
}

// openCleaned opens the swapped-in segment as loading opens a closed one.
func openCleaned(fsys vfs.FS, dir string, base int64, cfg Config, now int64) (*segment, error) {
	seg, _, err := openSegment(fsys, dir, base, cfg.SegmentIndexBytes, now)
	if err != nil {
		return nil, err
	}
	if err := seg.loadTail(); err != nil {
		seg.close()
		return nil, fmt.Errorf("open cleaned segment %d: %w", base, err)
	}
	if err := seg.loadTxnIndex(); err != nil {
		seg.close()
		return nil, fmt.Errorf("open cleaned segment %d: %w", base, err)
	}
	if err := seg.deactivate(); err != nil {
		seg.close()
		return nil, err
	}
	return seg, nil
}

// retire releases the replaced segments: their index mappings at once (no
// reader can reach them now), their .log descriptors and *.deleted files
// after file.delete.delay.ms, so fetches already holding them finish. The
// caller holds flushMu.
func (l *Log) retire(group []*segment) {
	delay := time.Duration(l.Config().FileDeleteDelayMs) * time.Millisecond
	for _, old := range group {
		if err := errors.Join(old.offsets.close(), old.times.close(), old.closeTxnIndex()); err != nil {
			l.logger.Warn("releasing a cleaned-away segment's indexes failed", "partition", l.tp.String(), "base_offset", old.base, "err", err)
		}
		l.deleter.schedule(delay, old.path(logSuffix)+deletedSuffix, old.removeDeleted)
	}
}
