package handler_test

import (
	"fmt"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/store/partitionlog"
	"github.com/kqhq/kq/store/vfs"
)

// fsyncGate is a vfs.Injector that, while closed, holds every fsync of a
// segment file until the test opens it, so a test can look at a produce
// whose fsync has not returned yet.
type fsyncGate struct {
	mu      sync.Mutex
	open    chan struct{} // nil: fsyncs pass
	arrived chan struct{} // one value per fsync held
}

func (g *fsyncGate) Inject(op vfs.Op) *vfs.Fault {
	if op.Kind != vfs.OpSync || filepath.Ext(op.Path) != ".log" {
		return nil
	}
	g.mu.Lock()
	gate, arrived := g.open, g.arrived
	g.mu.Unlock()
	if gate != nil {
		arrived <- struct{}{}
		<-gate
	}
	return nil
}

// hold closes the gate until the test ends or release is called.
func (g *fsyncGate) hold(t testing.TB) {
	g.mu.Lock()
	g.open, g.arrived = make(chan struct{}), make(chan struct{}, 64)
	g.mu.Unlock()
	t.Cleanup(g.release) // before the fixture closes the logs, which waits for the fsync
}

func (g *fsyncGate) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.open != nil {
		close(g.open)
		g.open = nil
	}
}

// awaitHeld waits for an fsync to reach the closed gate.
func (g *fsyncGate) awaitHeld(t testing.TB) {
	t.Helper()
	g.mu.Lock()
	arrived := g.arrived
	g.mu.Unlock()
	waitChan(t, arrived)
}

// waitChan waits, up to testTimeout, for ch to yield.
func waitChan(t testing.TB, ch <-chan struct{}) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(testTimeout):
		t.Fatal("timed out waiting")
	}
}

func groupCommitTopic(f *fixture) {
	f.logCfg.set("t", func(c *partitionlog.Config) { c.FlushMode = partitionlog.FlushGroupCommit })
	f.topic("t", ledHere(1)...)
}

// Under flush.mode=group-commit a produce (acks=1 or acks=all) is answered
// only once the leader's fsync covering it has returned, and consumers
// see the records only then.
func TestGroupCommitProduceWaitsForTheFsync(t *testing.T) {
	for _, acks := range []int16{1, -1} {
		t.Run(fmt.Sprintf("acks=%d", acks), func(t *testing.T) {
			f := newFixture(t)
			groupCommitTopic(f)
			f.fsyncs.hold(t)
			req := produceReq(acks, "t", 0, batch(1000, "a", "b"))
			out, err := f.send(req)
			if err != nil {
				t.Fatal(err)
			}
			f.fsyncs.awaitHeld(t)
			if isReady(out) {
				t.Fatal("produce answered while its fsync has not returned")
			}
			if _, hw, _ := mustPartition(f, "t", 0).Offsets(); hw != 0 {
				t.Fatalf("high watermark %d before the fsync, want 0", hw)
			}
			f.fsyncs.release()
			resp := f.settle(req, out).(*kmsg.ProduceResponse)
			if p := resp.Topics[0].Partitions[0]; p.ErrorCode != 0 || p.BaseOffset != 0 {
				t.Fatalf("response %+v, want success at offset 0", p)
			}
			if _, hw, _ := mustPartition(f, "t", 0).Offsets(); hw != 2 {
				t.Fatalf("high watermark %d after the fsync, want 2", hw)
			}
		})
	}
}

// A failed fsync answers KAFKA_STORAGE_ERROR, never success.
func TestGroupCommitFsyncFailureAnswersStorageError(t *testing.T) {
	for _, acks := range []int16{1, -1} {
		f := newFixture(t)
		groupCommitTopic(f)
		f.faults.Add(&vfs.Rule{Kinds: vfs.OpSync, Name: "*.log", Err: syscall.EIO})
		resp := f.call(produceReq(acks, "t", 0, batch(1000, "a"))).(*kmsg.ProduceResponse)
		if code := resp.Topics[0].Partitions[0].ErrorCode; code != kerr.KafkaStorageError.Code {
			t.Fatalf("acks=%d: error code %d (%v), want KAFKA_STORAGE_ERROR", acks, code, kerr.ErrorForCode(code))
		}
	}
}

// Under pagecache, and for acks=0 in either mode, nothing waits for an
// fsync: the produces below settle while every fsync is held.
func TestProduceWithoutGroupCommitDoesNotWaitForFsync(t *testing.T) {
	tests := []struct {
		name        string
		acks        int16
		groupCommit bool
	}{
		{"pagecache acks=1", 1, false},
		{"pagecache acks=all", -1, false},
		{"group-commit acks=0", 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			if tc.groupCommit {
				groupCommitTopic(f)
			} else {
				f.topic("t", ledHere(1)...)
			}
			f.fsyncs.hold(t)
			req := produceReq(tc.acks, "t", 0, batch(1000, "a"))
			out, err := f.send(req)
			if err != nil {
				t.Fatal(err)
			}
			// With every fsync held, a response that waited for one
			// would never settle.
			if resp, ok := f.settle(req, out).(*kmsg.ProduceResponse); ok && resp.Topics[0].Partitions[0].ErrorCode != 0 {
				t.Fatalf("response %+v, want success", resp.Topics[0].Partitions[0])
			}
		})
	}
}
