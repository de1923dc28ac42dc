package handler_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"

	"github.com/kqhq/kq/daemon/internal/group"
	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/daemon/internal/txn"
)

// testTxnPartitions keeps __transaction_state small in these tests.
const testTxnPartitions = 3

// fakeTxnMarkers records the coordinator's marker jobs and reports each
// written at once (on its own goroutine, as the contract asks).
type fakeTxnMarkers struct {
	mu   sync.Mutex
	jobs []txn.Markers
}

func (m *fakeTxnMarkers) WriteMarkers(_ context.Context, job txn.Markers, done func(error)) {
	m.mu.Lock()
	m.jobs = append(m.jobs, job)
	m.mu.Unlock()
	go done(nil)
}

func (m *fakeTxnMarkers) sent() []txn.Markers {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]txn.Markers(nil), m.jobs...)
}

// txnMarkers are the marker jobs of the fixtures' coordinators.
var txnMarkers sync.Map // *txn.Coordinator -> *fakeTxnMarkers

func newTestTxnCoordinator(t testing.TB, replicas *replica.Manager, logger *slog.Logger, pids txn.ProducerIDs) *txn.Coordinator {
	cfg := txn.DefaultConfig()
	cfg.Partitions = testTxnPartitions
	stop := make(chan struct{})
	markers := &fakeTxnMarkers{}
	c := txn.New(txn.Options{Config: cfg, Logger: logger, Markers: markers, ProducerIDs: pids, Log: group.ReplicaLog{
		Replicas: replicas, Topic: txn.TopicName, MinInsync: func() int { return 1 }, Timeout: testTimeout, Stop: stop,
	}})
	txnMarkers.Store(c, markers)
	t.Cleanup(func() {
		close(stop)
		c.Close()
		txnMarkers.Delete(c)
	})
	return c
}

func (f *fixture) txnMarkers() *fakeTxnMarkers {
	m, _ := txnMarkers.Load(f.txns)
	return m.(*fakeTxnMarkers)
}

func (f *fixture) onTxnLeadership(partition int32, leader bool, epoch int32) {
	if f.txns == nil {
		return
	}
	if leader {
		f.txns.BecameLeader(partition, epoch)
	} else {
		f.txns.BecameFollower(partition)
	}
}

// txnStateLedHere publishes __transaction_state led by this broker and
// waits until the coordinator has loaded every partition.
func (f *fixture) txnStateLedHere() {
	f.t.Helper()
	f.topic(txn.TopicName, ledHere(testTxnPartitions)...)
	for _, id := range []string{"tx", "a", "b", "c", "d", "e"} {
		waitFor(f.t, "transaction coordinator loaded", func() bool { return f.txns.IsCoordinatorFor(id) == nil })
	}
}
