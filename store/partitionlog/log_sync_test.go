package partitionlog

import (
	"errors"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kqhq/kq/store/vfs"
)

// syncGate is an Injector that counts the fsyncs of segment files and can
// hold them: while closed, an fsync waits until the test opens the gate,
// so a test sees what the log does before and after its fsync returns.
type syncGate struct {
	mu       sync.Mutex
	syncs    int
	dirSyncs int           // directory fsyncs, of any directory
	held     int           // fsyncs waiting at the gate
	open     chan struct{} // nil: the gate is open
	arrived  chan struct{} // receives one value per fsync reaching the gate
	fail     syscall.Errno // when not 0, fsyncs fail with it
}

func newSyncGate() *syncGate { return &syncGate{arrived: make(chan struct{}, 1024)} }

func (g *syncGate) Inject(op vfs.Op) *vfs.Fault {
	if op.Kind == vfs.OpSyncDir {
		g.mu.Lock()
		g.dirSyncs++
		g.mu.Unlock()
	}
	if op.Kind != vfs.OpSync || filepath.Ext(op.Path) != logSuffix {
		return nil
	}
	g.mu.Lock()
	g.syncs++
	gate, errno := g.open, g.fail
	g.mu.Unlock()
	g.arrived <- struct{}{}
	if gate != nil {
		<-gate
	}
	if errno != 0 {
		return &vfs.Fault{Err: errno}
	}
	return nil
}

// close makes the next fsyncs wait; release lets them go.
func (g *syncGate) close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.open = make(chan struct{})
}

func (g *syncGate) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.open != nil {
		close(g.open)
		g.open = nil
	}
}

func (g *syncGate) failWith(errno syscall.Errno) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.fail = errno
}

func (g *syncGate) dirSyncCount() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.dirSyncs
}

func (g *syncGate) count() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.syncs
}

// groupCommitLog creates a log in group-commit mode whose segment fsyncs
// pass through gate.
func groupCommitLog(t testing.TB, gate *syncGate, fail func(error)) *Log {
	t.Helper()
	o := logOptions{
		fs: vfs.WithFaults(vfs.OS{}, gate), dir: filepath.Join(t.TempDir(), testTP.dirName()),
		tp: testTP, cfg: Config{FlushMode: FlushGroupCommit}, clock: newManualClock(1_000_000),
		logger: discardLogger(), fail: fail,
	}
	l, err := createLog(o, [16]byte{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gate.release(); l.Close() })
	return l
}

func TestGroupCommitDurableOnlyAfterFsyncReturns(t *testing.T) {
	gate := newSyncGate()
	gate.close()
	l := groupCommitLog(t, gate, nil)
	info := mustAppend(t, l, buildBatch(t, batchSpec{records: 3, valueSize: 10}))
	awaitClosed(t, gate.arrived) // the syncer is inside its fsync
	done, wake, err := l.Durable(info.LastOffset + 1)
	if done || err != nil {
		t.Fatalf("durable before the fsync returned: done %v err %v", done, err)
	}
	if got := l.DurableEnd(); got != 0 {
		t.Fatalf("durable end %d during the fsync, want 0", got)
	}
	gate.release()
	awaitClosed(t, wake)
	if done, _, err := l.Durable(info.LastOffset + 1); !done || err != nil {
		t.Fatalf("after the fsync: done %v err %v", done, err)
	}
	if got := l.DurableEnd(); got != 3 {
		t.Fatalf("durable end %d, want 3", got)
	}
}

// One fsync covers every batch appended while the previous one ran.
func TestGroupCommitOneFsyncForConcurrentAppends(t *testing.T) {
	gate := newSyncGate()
	gate.close()
	l := groupCommitLog(t, gate, nil)
	mustAppend(t, l, buildBatch(t, batchSpec{records: 1, valueSize: 10}))
	awaitClosed(t, gate.arrived) // the first fsync is held
	const producers = 20
	var wg sync.WaitGroup
	for range producers {
		wg.Go(func() {
			if _, err := l.Append(buildBatch(t, batchSpec{records: 1, valueSize: 10}), 0); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	gate.release()
	waitDurable(t, l, 1+producers)
	if got := gate.count(); got != 2 {
		t.Fatalf("%d fsyncs for %d appends while one ran, want 2", got, producers)
	}
}

func TestGroupCommitFsyncFailureFailsWaitersAndTakesTheDirOffline(t *testing.T) {
	gate := newSyncGate()
	gate.close()
	gate.failWith(syscall.EIO)
	var offline []error
	var mu sync.Mutex
	l := groupCommitLog(t, gate, func(err error) { mu.Lock(); offline = append(offline, err); mu.Unlock() })
	info := mustAppend(t, l, buildBatch(t, batchSpec{records: 2, valueSize: 10}))
	awaitClosed(t, gate.arrived)
	_, wake, _ := l.Durable(info.LastOffset + 1)
	gate.release()
	awaitClosed(t, wake)
	done, _, err := l.Durable(info.LastOffset + 1)
	if !done || !errors.Is(err, ErrLogDirOffline) {
		t.Fatalf("after a failed fsync: done %v err %v, want %v", done, err, ErrLogDirOffline)
	}
	if l.DurableEnd() != 0 {
		t.Fatalf("durable end %d after a failed fsync, want 0", l.DurableEnd())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(offline) != 1 || !errors.Is(offline[0], syscall.EIO) {
		t.Fatalf("dir offline reports %v, want one caused by EIO", offline)
	}
	if _, err := l.Append(buildBatch(t, batchSpec{records: 1, valueSize: 10}), 0); !errors.Is(err, ErrLogDirOffline) {
		t.Fatalf("append after the failure: %v, want %v", err, ErrLogDirOffline)
	}
}

// The durable offset covers the segments rolled since the last fsync, and
// never stays above a truncated log end.
func TestGroupCommitAcrossRollsAndTruncation(t *testing.T) {
	gate := newSyncGate()
	l := groupCommitLog(t, gate, nil)
	l.SetConfig(Config{FlushMode: FlushGroupCommit, SegmentBytes: 200})
	for range 5 {
		mustAppend(t, l, buildBatch(t, batchSpec{records: 2, valueSize: 60}))
	}
	if l.NumSegments() < 3 {
		t.Fatalf("%d segments, want rolls", l.NumSegments())
	}
	dirSyncsBefore := gate.dirSyncCount()
	waitDurable(t, l, 10)
	if gate.dirSyncCount() == dirSyncsBefore {
		t.Fatal("segments were created but the partition directory was not fsynced before they counted as durable")
	}
	if err := l.TruncateTo(4); err != nil {
		t.Fatal(err)
	}
	if got := l.DurableEnd(); got != 4 {
		t.Fatalf("durable end %d after truncating to 4", got)
	}
}

func TestPageCacheModeIsDurableAtOnce(t *testing.T) {
	gate := newSyncGate()
	gate.close()
	l := groupCommitLog(t, gate, nil)
	l.SetConfig(Config{}) // back to pagecache: the mode change itself may ask for one fsync
	info := mustAppend(t, l, buildBatch(t, batchSpec{records: 2, valueSize: 10}))
	if done, _, err := l.Durable(info.LastOffset + 1); !done || err != nil {
		t.Fatalf("pagecache: done %v err %v, want stored at once", done, err)
	}
}

// waitDurable waits, on the log's own wake-ups, for the durable end to
// reach end.
func waitDurable(t testing.TB, l *Log, end int64) {
	t.Helper()
	for {
		done, wake, err := l.Durable(end)
		if err != nil {
			t.Fatal(err)
		}
		if done {
			return
		}
		awaitClosed(t, wake)
	}
}

// awaitClosed waits for ch to yield or close, failing the test after a
// few seconds.
func awaitClosed[T any](t testing.TB, ch <-chan T) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		t.Fatal("timed out waiting for a wake-up")
	}
}

// Closing the log while an fsync is held neither deadlocks nor fails the
// waiters: Close fsyncs everything, so what was appended is stored.
func TestGroupCommitCloseDuringAnFsync(t *testing.T) {
	gate := newSyncGate()
	gate.close()
	l := groupCommitLog(t, gate, nil)
	info := mustAppend(t, l, buildBatch(t, batchSpec{records: 2, valueSize: 10}))
	awaitClosed(t, gate.arrived)
	_, wake, _ := l.Durable(info.LastOffset + 1)
	closed := make(chan error, 1)
	go func() { closed <- l.Close() }()
	gate.release()
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	awaitClosed(t, wake)
	if done, _, err := l.Durable(info.LastOffset + 1); !done || err != nil {
		t.Fatalf("after Close: done %v err %v, want stored", done, err)
	}
}
