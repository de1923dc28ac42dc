package partitionlog

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/kqhq/kq/store/recordbatch"
	"github.com/kqhq/kq/store/vfs"
)

// leftovers lists the files of a cleaning in progress still in dir.
func leftovers(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), cleanedSuffix) || strings.HasSuffix(e.Name(), swapSuffix) {
			out = append(out, e.Name())
		}
	}
	return out
}

// A cleaning whose output cannot be written or made durable fails before
// its group's swap, with the disk's error rather than as an aborted
// cleaning (which the cleaner would retry at once, in a loop): the log
// keeps the latest value of every key (groups swapped before stay
// cleaned) and stays online, the .cleaned files are removed, and a later
// cleaning on a healthy disk succeeds. (The cleaner thread marks the
// partition uncleanable until a restart; Kafka would take the directory
// offline.)
func TestCleaningFailureBeforeTheSwap(t *testing.T) {
	tests := []struct {
		name string
		rule *vfs.Rule
	}{
		{"no space for the cleaned segment", &vfs.Rule{Kinds: vfs.OpWrite, Name: "*.log.cleaned", Err: syscall.ENOSPC, Short: 10}},
		{"no space for its index", &vfs.Rule{Kinds: vfs.OpTruncate, Name: "*.index.cleaned", Err: syscall.ENOSPC}},
		{"its fsync fails", &vfs.Rule{Kinds: vfs.OpSync, Name: "*.cleaned", Err: syscall.EIO}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, rules := faultyLog(t, Config{Compacted: true, SegmentBytes: 600, IndexIntervalBytes: 64})
			fillUpdates(t, l, 40, 3, 5, recordbatch.None, false)
			before := logRecords(t, l)
			rules.Add(tt.rule)

			_, err := cleanOnce(t, l, testThread(1<<20), nowMs(l.clock))
			if !errors.Is(err, tt.rule.Err) || errors.Is(err, errCleaningAborted) || tt.rule.Failed() == 0 {
				t.Fatalf("cleaning: %v (%d faults)", err, tt.rule.Failed())
			}
			after := logRecords(t, l)
			checkSubsequence(t, before, after)
			if !maps.Equal(latestByKey(before), latestByKey(after)) {
				t.Fatalf("latest values changed:\n before %v\n after  %v", latestByKey(before), latestByKey(after))
			}
			if left := leftovers(t, l.Dir()); len(left) != 0 {
				t.Fatalf("left %v", left)
			}
			mustAppend(t, l, keyedBatch(t, batchSpec{}, "k0=after"))

			tt.rule.Stop()
			rollNow(t, l)
			before = logRecords(t, l)
			mustClean(t, l, testThread(1<<20), nowMs(l.clock))
			checkSubsequence(t, before, logRecords(t, l))
		})
	}
}

// A rename failing in the middle of the swap takes the directory offline;
// the restart finishes or rolls back the swap, and the log holds the same
// latest value per key as before.
func TestCleaningFailureDuringTheSwap(t *testing.T) {
	tests := []struct {
		name string
		rule *vfs.Rule
	}{
		{"renaming the cleaned segment to .swap", &vfs.Rule{Kinds: vfs.OpRename, Name: "*.log.cleaned", Err: syscall.EIO}},
		{"renaming an old segment to .deleted", &vfs.Rule{Kinds: vfs.OpRename, Name: "*.timeindex", Err: syscall.EIO}},
		{"renaming the swapped segment into place", &vfs.Rule{Kinds: vfs.OpRename, Name: "*.index.swap", Err: syscall.EIO}},
		{"fsync of the directory", &vfs.Rule{Kinds: vfs.OpSyncDir, Err: syscall.EIO}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, rules := faultyLog(t, Config{Compacted: true, SegmentBytes: 600, IndexIntervalBytes: 64})
			fillUpdates(t, l, 40, 3, 5, recordbatch.None, false)
			before := logRecords(t, l)
			rules.Add(tt.rule)

			_, err := cleanOnce(t, l, testThread(1<<20), nowMs(l.clock))
			wantStorageError(t, err, syscall.EIO)
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			l2 := openAgain(t, l, false, l.RecoveryPoint())
			after := logRecords(t, l2)
			checkSubsequence(t, before, after)
			if !maps.Equal(latestByKey(before), latestByKey(after)) {
				t.Fatalf("latest values changed:\n before %v\n after  %v", latestByKey(before), latestByKey(after))
			}
			if left := leftovers(t, l2.Dir()); len(left) != 0 {
				t.Fatalf("left %v", left)
			}
		})
	}
}

// Finishing a swap a crash interrupted reads the .log.swap to learn which
// segments it replaces. When the disk fails that read, opening fails: going
// on with a guess deleted only the segment at its base and left the others
// it replaces, overlapping it.
func TestInterruptedSwapUnreadable(t *testing.T) {
	seg := func(base, next int64) []byte {
		recs := make([]string, next-base)
		for i := range recs {
			recs[i] = fmt.Sprintf("k=%d", i)
		}
		return withOffset(keyedBatch(t, batchSpec{}, recs...), base)
	}
	name := func(base int64, suffix string) string { return filepath.Base(segmentPath("", base, suffix)) }
	dir := t.TempDir()
	files := map[string][]byte{
		name(0, logSuffix): seg(0, 5), name(5, logSuffix): seg(5, 9), name(9, logSuffix): seg(9, 12),
		name(0, logSuffix) + swapSuffix: seg(0, 9),
	}
	for n, data := range files {
		if err := os.WriteFile(filepath.Join(dir, n), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rules := &vfs.Rules{}
	rules.Add(&vfs.Rule{Kinds: vfs.OpRead, Name: "*" + swapSuffix, Err: syscall.EIO})
	if err := finishInterruptedSwaps(vfs.WithFaults(vfs.OS{}, rules), dir, discardLogger()); !errors.Is(err, syscall.EIO) {
		t.Fatalf("finishing the swap over an unreadable file: %v", err)
	}
	for n := range files {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
	}
	if err := finishInterruptedSwaps(vfs.OS{}, dir, discardLogger()); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*.log")); len(left) != 2 {
		t.Fatalf("after the disk recovered: %v, want the swapped-in segment and the one after it", left)
	}
}
