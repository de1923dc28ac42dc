package replica_test

import (
	"encoding/binary"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/store/partitionlog"
)

// FuzzAppendFromLeader feeds a follower whatever a leader's Fetch response
// might carry: it must never panic, and a refused response leaves the log
// as it was. Each input gets a fresh partition of one shared manager.
func FuzzAppendFromLeader(f *testing.F) {
	good := records(2)
	binary.BigEndian.PutUint64(good[0:8], 3) // continues a log ending at 3
	f.Add(good, int64(5), int64(0))
	f.Add(good[:40], int64(1), int64(0))
	f.Add([]byte{}, int64(2), int64(9))
	logger := slog.New(slog.DiscardHandler)
	logs, err := partitionlog.OpenManager([]string{f.TempDir()}, partitionlog.ManagerOptions{Logger: logger, FileDeleteDelay: time.Millisecond})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { logs.Close() })
	m := replica.NewManager(self, logs, logConfigs{}, logger)
	var next atomic.Int32
	f.Fuzz(func(t *testing.T, data []byte, hw, logStart int64) {
		p := fuzzFollower(t, m, next.Add(1))
		start0, _, end0 := p.Offsets()
		_, err := p.AppendFromLeader(1, data, hw, logStart)
		start, hwNow, end := p.Offsets()
		if err != nil && end != end0 {
			t.Fatalf("refused append moved the log end %d -> %d", end0, end)
		}
		if hwNow > end || start > hwNow || start < start0 {
			t.Fatalf("offsets out of order: start %d (was %d) hw %d end %d", start, start0, hwNow, end)
		}
	})
}

// fuzzFollower makes partition index of topic "f": three records written
// as leader at epoch 0, then following broker 2 at epoch 1.
func fuzzFollower(t *testing.T, m *replica.Manager, index int32) *replica.Partition {
	t.Helper()
	apply := func(s replica.State) {
		res, err := m.ApplyLeaderAndIsr(1, []replica.LeaderAndIsr{{Topic: "f", TopicID: [16]byte{9}, Partition: index, State: s}})
		if err != nil || res[partitionlog.TopicPartition{Topic: "f", Partition: index}] != nil {
			t.Fatalf("LeaderAndIsr: %v %v", err, res)
		}
	}
	apply(replica.State{Leader: self, LeaderEpoch: 0, Replicas: []int32{1, 2}, ISR: []int32{1}})
	p, _ := m.Get("f", index)
	mustAppend(t, p, 3)
	apply(replica.State{Leader: 2, LeaderEpoch: 1, Replicas: []int32{1, 2}, ISR: []int32{2}})
	return p
}
