package partitionlog

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kqhq/kq/store/recordbatch"
	"github.com/kqhq/kq/store/vfs"
)

// cleanerCrashFixture is a closed compacted log directory whose next
// cleaning replaces several segments by one, with tombstones, an
// idempotent producer and compressed batches in it.
func cleanerCrashFixture(t *testing.T, priorCleanings int) (dir string, cfg Config) {
	t.Helper()
	clock := newManualClock(1_000_000)
	l := compactLog(t, Config{DeleteRetentionMs: 1000}, clock)
	fillUpdates(t, l, 20, 3, 6, recordbatch.Gzip, false)
	mustAppend(t, l, keyedBatch(t, batchSpec{producer: 4, seq: 0}, "k1", "k2=p"))
	fillUpdates(t, l, 10, 2, 6, recordbatch.None, false)
	// One group: every closed segment fits the cleaned segment.
	cfg = l.Config()
	cfg.SegmentBytes = 1 << 20
	l.SetConfig(cfg)
	for range priorCleanings {
		mustClean(t, l, testThread(1<<20), nowMs(clock))
		clock.advance(2000) // past the tombstones' delete horizon
		mustAppend(t, l, keyedBatch(t, batchSpec{}, "k3=late"))
		rollNow(t, l)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return l.Dir(), cfg
}

// openDirForTest opens a partition directory as startup does after a
// crash (no clean-shutdown marker).
func openDirForTest(t *testing.T, dir string, cfg Config, recoveryPoint int64) *Log {
	t.Helper()
	l, err := openLog(logOptions{
		dir: dir, tp: testTP, cfg: cfg, clock: newManualClock(1_003_000), logger: discardLogger(),
		recoveryPoint: recoveryPoint, hw: 1 << 40,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func copyPartitionDir(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), testTP.dirName())
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		in, err := os.Open(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out, err := os.Create(filepath.Join(dst, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(out, in); err != nil {
			t.Fatal(err)
		}
		in.Close()
		out.Close()
	}
	return dst
}

// cleanWithCrash cleans a copy of dir, stopping as a crash would at the
// stop-th event (never when stop < 0), and returns the events seen and
// the log's bytes when it stopped (or finished).
func cleanWithCrash(t *testing.T, dir string, cfg Config, stop int) (events []string, work string) {
	t.Helper()
	work = copyPartitionDir(t, dir)
	l := openDirForTest(t, work, cfg, 0)
	th := testThread(1 << 20)
	th.crash = func(event string) bool {
		events = append(events, event)
		return len(events)-1 == stop
	}
	_, err := cleanOnce(t, l, th, 1_003_000)
	switch {
	case stop < 0 && err != nil:
		t.Fatal(err)
	case stop >= 0 && !errors.Is(err, errSimulatedCrash):
		t.Fatalf("crash at event %d: cleaning returned %v", stop, err)
	}
	abandon(l)
	return events, work
}

func TestCleanerCrashDuringSwapRecoversOldOrNew(t *testing.T) {
	for _, prior := range []int{0, 1} {
		dir, cfg := cleanerCrashFixture(t, prior)
		old := readAll(t, openDirForTest(t, copyPartitionDir(t, dir), cfg, 0), 0)
		events, work := cleanWithCrash(t, dir, cfg, -1)
		cleaned := readAll(t, openDirForTest(t, work, cfg, 0), 0)
		if bytes.Equal(old, cleaned) || countPrefix(events, "delete ") < 6 {
			t.Fatalf("fixture: the cleaning must change the log and replace several segments; events %v", events)
		}
		// The swap is complete once every file is .swap: from then on
		// recovery finishes it, before it rolls it back.
		committed := indexOf(events, "swap 0"+timeIndexSuffix)
		for _, rp := range []int64{0, 1 << 40} {
			for stop, event := range events {
				t.Run(fmt.Sprintf("prior=%d/recovery-point=%d/%02d-%s", prior, rp, stop, event), func(t *testing.T) {
					_, crashed := cleanWithCrash(t, dir, cfg, stop)
					l := openDirForTest(t, crashed, cfg, rp)
					got := readAll(t, l, 0)
					want, which := old, "old"
					if stop >= committed {
						want, which = cleaned, "new"
					}
					if !bytes.Equal(got, want) {
						t.Fatalf("recovered log is not the %s one (%d bytes, old %d, new %d)", which, len(got), len(old), len(cleaned))
					}
					checkNoCleanerLeftovers(t, crashed)
					mustAppend(t, l, keyedBatch(t, batchSpec{}, "after=crash"))
				})
			}
		}
	}
}

func countPrefix(events []string, prefix string) int {
	n := 0
	for _, e := range events {
		if strings.HasPrefix(e, prefix) {
			n++
		}
	}
	return n
}

func indexOf(events []string, event string) int {
	for i, e := range events {
		if e == event {
			return i
		}
	}
	return len(events)
}

func checkNoCleanerLeftovers(t *testing.T, dir string) {
	t.Helper()
	for _, pattern := range []string{"*" + cleanedSuffix, "*" + swapSuffix, "*" + deletedSuffix} {
		if left, _ := filepath.Glob(filepath.Join(dir, pattern)); len(left) > 0 {
			t.Fatalf("leftovers after recovery: %v", left)
		}
	}
}

func TestFinishInterruptedSwapsRules(t *testing.T) {
	seg := func(base, next int64) []byte {
		recs := make([]string, next-base)
		for i := range recs {
			recs[i] = fmt.Sprintf("k=%d", i)
		}
		return withOffset(keyedBatch(t, batchSpec{}, recs...), base)
	}
	name := func(base int64, suffix string) string { return filepath.Base(segmentPath("", base, suffix)) }
	cases := []struct {
		name      string
		files     map[string][]byte
		want      []string
		completes bool
	}{
		{"cleaned files go", map[string][]byte{
			name(0, ".log"): seg(0, 5), name(0, ".log") + ".cleaned": seg(0, 5), name(0, ".index") + ".cleaned": nil,
		}, []string{name(0, ".log")}, false},
		{"a swap begun but not finished rolls back", map[string][]byte{
			name(0, ".log"): seg(0, 5), name(5, ".log"): seg(5, 9),
			name(0, ".log") + ".swap": seg(0, 9), name(0, ".index") + ".cleaned": nil,
		}, []string{name(0, ".log"), name(5, ".log")}, false},
		{"a complete swap replaces the segments in its range", map[string][]byte{
			name(0, ".log"): seg(0, 5), name(0, ".index"): nil, name(5, ".log"): seg(5, 9), name(9, ".log"): seg(9, 12),
			name(0, ".log") + ".swap": seg(0, 9), name(0, ".index") + ".swap": nil,
		}, []string{name(0, ".log"), name(9, ".log")}, true},
		{"old segments already renamed", map[string][]byte{
			name(0, ".log") + ".deleted": seg(0, 5), name(5, ".log"): seg(5, 9), name(9, ".log"): seg(9, 12),
			name(0, ".log") + ".swap": seg(0, 9),
		}, []string{name(0, ".log"), name(0, ".log") + ".deleted", name(9, ".log")}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for n, data := range tc.files {
				if err := os.WriteFile(filepath.Join(dir, n), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			swapData := tc.files[name(0, ".log")+".swap"]
			if err := finishInterruptedSwaps(vfs.OS{}, dir, discardLogger()); err != nil {
				t.Fatal(err)
			}
			entries, _ := os.ReadDir(dir)
			var got []string
			for _, e := range entries {
				got = append(got, e.Name())
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("files %v, want %v", got, tc.want)
			}
			if tc.completes {
				if data, _ := os.ReadFile(filepath.Join(dir, name(0, ".log"))); !bytes.Equal(data, swapData) {
					t.Fatal("the swapped-in segment is not in place")
				}
			}
		})
	}
}
