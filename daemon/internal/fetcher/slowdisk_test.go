package fetcher_test

import (
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/store/partitionlog"
	"github.com/kqhq/kq/store/vfs"
)

// blockSyncs, once armed, holds every fsync of files under one
// partition's directory until released: a disk that stalls.
type blockSyncs struct {
	dir     string
	armed   atomic.Bool
	release chan struct{}
}

func (b *blockSyncs) Inject(op vfs.Op) *vfs.Fault {
	if b.armed.Load() && op.Kind&(vfs.OpSync|vfs.OpSyncDir) != 0 && strings.Contains(op.Path, b.dir) {
		<-b.release
	}
	return nil
}

// Under group-commit one partition whose fsync stalls does not hold back
// another partition replicated by the same fetcher: after a short grace
// the stalled one sits its rounds out, and the other's fetch offsets (and
// so the leader's high watermark) keep moving. Before, every round waited
// for every partition's fsync.
func TestStalledFsyncDoesNotHoldBackOtherPartitions(t *testing.T) {
	leader := groupCommitBroker(t, leaderID)
	srv := &leaderServer{b: leader}
	fm := newFetchers(t, srv)
	stall := &blockSyncs{dir: "t-0", release: make(chan struct{})}
	logger := slog.New(slog.DiscardHandler)
	logs, err := partitionlog.OpenManager([]string{t.TempDir()}, partitionlog.ManagerOptions{
		Logger: logger, FileDeleteDelay: time.Millisecond, FS: vfs.WithFaults(vfs.OS{}, stall)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { logs.Close() })
	t.Cleanup(func() { close(stall.release) }) // runs first: the stalled fsyncs return
	follower := &broker{m: replica.NewManager(followerID, logs, groupCommitConfigs{}, logger, replica.WithFetchers(fm)), logs: logs}
	state := replica.State{Leader: leaderID, LeaderEpoch: 0, Replicas: twoReplicas, ISR: twoReplicas}
	var lead [2]*replica.Partition
	for p := range int32(2) {
		lai := []replica.LeaderAndIsr{{Topic: "t", TopicID: topicID, Partition: p, State: state}}
		for _, b := range []*broker{leader, follower} {
			res, err := b.m.ApplyLeaderAndIsr(1, lai)
			if err != nil || res[partitionlog.TopicPartition{Topic: "t", Partition: p}] != nil {
				t.Fatalf("LeaderAndIsr t-%d: %v %v", p, err, res)
			}
		}
		lead[p], _ = leader.m.Get("t", p)
	}
	// A first append before the stall: the follower's first append at an
	// epoch writes its leader epoch checkpoint, with an fsync, in the
	// fetcher's goroutine (as Kafka's fetcher thread does).
	appendN(t, lead[0], 1, 5, "first")
	eventually(t, "t-0 replicated", func() error {
		if _, hw, leo := lead[0].Offsets(); hw != leo {
			return fmt.Errorf("t-0 high watermark %d, log end %d", hw, leo)
		}
		return nil
	})
	stall.armed.Store(true)
	appendN(t, lead[0], 1, 5, "slow")
	for round := range 3 {
		appendN(t, lead[1], 1, 5, fmt.Sprint("fast-", round))
		eventually(t, "t-1 committed while t-0's fsync stalls", func() error {
			if _, hw, leo := lead[1].Offsets(); hw != leo {
				return fmt.Errorf("t-1 high watermark %d, log end %d", hw, leo)
			}
			return nil
		})
	}
	if _, hw, _ := lead[0].Offsets(); hw != 5 {
		t.Fatalf("t-0 committed to %d although its follower's fsync of what follows 5 never returned", hw)
	}
}
