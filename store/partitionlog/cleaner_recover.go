package partitionlog

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/kqhq/kq/store/vfs"
)

// finishInterruptedSwaps finishes or rolls back a cleaning a crash cut
// short, with Kafka's rules (LogLoader's removeTempFilesAndCollectSwapFiles
// and swap completion). It runs before the segments are opened:
//
//   - .cleaned files are deleted: the swap had not begun, the old segments
//     are whole;
//   - .swap files at or above the lowest .cleaned base offset are deleted:
//     the renames to .swap had not all happened;
//   - index .swap files are deleted (the segment's recovery rebuilds them);
//   - a .log.swap replaces every segment whose base offset lies in its
//     offset range, then loses its suffix. A segment of the group at or
//     above the end of the cleaned one (whose trailing batches the
//     cleaning removed) had no record kept: left as it is, it only holds
//     superseded records, and renamed *.deleted it is removed at load.
func finishInterruptedSwaps(fsys vfs.FS, dir string, logger *slog.Logger) error {
	entries, err := fsys.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("list %s: %w", dir, err)
	}
	minCleaned := int64(math.MaxInt64)
	var swaps []string
	for _, e := range entries {
		name := e.Name()
		if strings.HasSuffix(name, cleanedSuffix) {
			if base, ok := segmentFileBase(name); ok {
				minCleaned = min(minCleaned, base)
			}
			if err := removeFile(fsys, dir, name); err != nil {
				return err
			}
		} else if strings.HasSuffix(name, swapSuffix) {
			swaps = append(swaps, name)
		}
	}
	var logSwaps []int64
	for _, name := range swaps {
		base, ok := segmentFileBase(name)
		if ok && base < minCleaned && name == filepath.Base(segmentPath(dir, base, logSuffix))+swapSuffix {
			logSwaps = append(logSwaps, base)
			continue
		}
		if err := removeFile(fsys, dir, name); err != nil {
			return err
		}
	}
	for _, base := range logSwaps {
		if err := completeSwap(fsys, dir, base, logger); err != nil {
			return err
		}
	}
	if len(swaps) > 0 || minCleaned != math.MaxInt64 {
		return fsys.SyncDir(dir)
	}
	return nil
}

// completeSwap deletes the segment files the swapped-in segment at base
// replaces and renames it into place.
func completeSwap(fsys vfs.FS, dir string, base int64, logger *slog.Logger) error {
	swap := segmentPath(dir, base, logSuffix) + swapSuffix
	end, err := swapEnd(fsys, swap, base)
	if err != nil && !errors.Is(err, ErrCorruptLog) {
		// Unread, its range is unknown: guessing would leave segments it
		// replaces beside it.
		return fmt.Errorf("complete swap: %w", err)
	}
	if err != nil {
		logger.Warn("a swapped-in segment does not read to its end; recovery will cut it", "file", swap, "err", err)
	}
	entries, err := fsys.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("list %s: %w", dir, err)
	}
	for _, e := range entries {
		name := e.Name()
		b, ok := segmentFileBase(name)
		live := strings.HasSuffix(name, logSuffix) || strings.HasSuffix(name, indexSuffix) || strings.HasSuffix(name, timeIndexSuffix) ||
			strings.HasSuffix(name, txnIndexSuffix)
		if ok && live && b >= base && b < end {
			if err := removeFile(fsys, dir, name); err != nil {
				return err
			}
		}
	}
	logger.Info("completing a swap a crash interrupted", "file", swap, "replaced_offsets", fmt.Sprintf("[%d, %d)", base, end))
	if err := fsys.Rename(swap, strings.TrimSuffix(swap, swapSuffix)); err != nil {
		return fmt.Errorf("complete swap: %w", err)
	}
	return nil
}

// swapEnd returns the offset after the last batch of a .log.swap file (at
// least base + 1, so the segment it replaces at base goes).
func swapEnd(fsys vfs.FS, path string, base int64) (int64, error) {
	f, err := fsys.Open(path)
	if err != nil {
		return base + 1, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return base + 1, fmt.Errorf("stat %s: %w", path, err)
	}
	end := base + 1
	sc := newHeaderScanner(f, 0, st.Size())
	defer sc.release()
	for _, h, ok := sc.next(); ok; _, h, ok = sc.next() {
		end = max(end, h.LastOffset()+1)
	}
	return end, sc.err
}

// segmentFileBase parses the 20-digit base offset starting a segment file
// name (whatever its suffixes).
func segmentFileBase(name string) (int64, bool) {
	if len(name) < 21 || name[20] != '.' {
		return 0, false
	}
	base, err := strconv.ParseInt(name[:20], 10, 64)
	return base, err == nil && base >= 0
}

func removeFile(fsys vfs.FS, dir, name string) error {
	if err := fsys.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove %s: %w", name, err)
	}
	return nil
}
