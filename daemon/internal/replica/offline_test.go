package replica_test

import (
	"errors"
	"log/slog"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/store/partitionlog"
	"github.com/kqhq/kq/store/vfs"
)

// A partition whose log dir went offline answers every LeaderAndIsr with
// the log's error (KAFKA_STORAGE_ERROR), whether it would lead or follow,
// so the controller moves leadership off it; its state stays, a produce
// is still refused with the storage error, and an acks=all request waiting
// for followers ends with it (Kafka's DelayedProduce) instead of timing out. A partition of the
// other, healthy dir takes its new state as usual.
func TestLeaderAndIsrForAnOfflineLog(t *testing.T) {
	var rules vfs.Rules
	logger := slog.New(slog.DiscardHandler)
	bad, good := t.TempDir(), t.TempDir()
	logs, err := partitionlog.OpenManager([]string{bad, good}, partitionlog.ManagerOptions{
		Logger: logger, FileDeleteDelay: time.Millisecond, FS: vfs.WithFaults(vfs.OS{}, &rules)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { logs.Close() })
	m := replica.NewManager(self, logs, logConfigs{}, logger)
	apply := func(p int32, s replica.State) error {
		res, err := m.ApplyLeaderAndIsr(1, []replica.LeaderAndIsr{{Topic: "t", TopicID: [16]byte{1}, Partition: p, State: s}})
		if err != nil {
			t.Fatal(err)
		}
		return res[partitionlog.TopicPartition{Topic: "t", Partition: p}]
	}
	both := []int32{1, 2}
	for p := range int32(2) { // t-0 lands in bad, t-1 in good (the emptiest dir first)
		if err := apply(p, replica.State{Leader: self, LeaderEpoch: 1, Replicas: both, ISR: both}); err != nil {
			t.Fatal(err)
		}
	}
	p0, _ := m.Get("t", 0)
	mustAppend(t, p0, 2) // acknowledged only once follower 2 has it
	done, wake, err := p0.Replicated(2, 1)
	if done || err != nil {
		t.Fatalf("acks=all before the follower fetched: done %v err %v", done, err)
	}
	rules.Add(&vfs.Rule{Kinds: vfs.OpWrite, Name: filepath.Join(bad, "*", "*.log"), Err: syscall.ENOSPC, Short: 10})
	if _, err := p0.AppendAsLeader(records(3), 1, 1); !errors.Is(err, partitionlog.ErrLogDirOffline) {
		t.Fatalf("append on a full disk: %v", err)
	}
	tests := []struct {
		name string
		p    int32
		s    replica.State
		want error
	}{
		{"offline, told to lead", 0, replica.State{Leader: self, LeaderEpoch: 2, Replicas: both, ISR: both}, partitionlog.ErrLogDirOffline},
		{"offline, told to follow", 0, replica.State{Leader: 2, LeaderEpoch: 3, Replicas: both, ISR: []int32{2}}, partitionlog.ErrLogDirOffline},
		{"healthy dir, told to follow", 1, replica.State{Leader: 2, LeaderEpoch: 2, Replicas: both, ISR: both}, nil},
	}
	for _, tt := range tests {
		if err := apply(tt.p, tt.s); !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	select {
	case <-wake:
	default:
		t.Fatal("a waiting acks=all request was not woken when its partition's log went offline")
	}
	if done, _, err := p0.Replicated(2, 1); !done || !errors.Is(err, partitionlog.ErrLogDirOffline) {
		t.Fatalf("waiting acks=all request: done %v err %v, want the storage error", done, err)
	}
	if _, err := p0.AppendAsLeader(records(1), 1, 1); !errors.Is(err, partitionlog.ErrLogDirOffline) {
		t.Fatalf("produce to the offline partition after LeaderAndIsr: %v", err)
	}
	if p1, _ := m.Get("t", 1); p1.State().Leader != 2 {
		t.Fatalf("healthy partition's leader %d, want 2", p1.State().Leader)
	}
}
