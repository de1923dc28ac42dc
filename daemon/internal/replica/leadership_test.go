package replica_test

import (
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/store/partitionlog"
)

type leadershipEvent struct {
	topic     string
	partition int32
	leader    bool
	epoch     int32
}

func TestLeadershipHook(t *testing.T) {
	logger := slog.New(slog.DiscardHandler)
	logs, err := partitionlog.OpenManager([]string{t.TempDir()}, partitionlog.ManagerOptions{Logger: logger, FileDeleteDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = logs.Close() })
	var got []leadershipEvent
	m := replica.NewManager(self, logs, logConfigs{}, logger, replica.WithLeadershipHook(func(topic string, p int32, leader bool, epoch int32) {
		got = append(got, leadershipEvent{topic, p, leader, epoch})
	}))
	apply := func(s replica.State) {
		t.Helper()
		res, err := m.ApplyLeaderAndIsr(1, []replica.LeaderAndIsr{{Topic: "t", TopicID: [16]byte{1}, State: s}})
		if err != nil || res[partitionlog.TopicPartition{Topic: "t"}] != nil {
			t.Fatal(err, res)
		}
	}
	apply(replica.State{Leader: self, LeaderEpoch: 0, Replicas: []int32{self, 2}, ISR: []int32{self, 2}})
	apply(replica.State{Leader: 2, LeaderEpoch: 1, Replicas: []int32{self, 2}, ISR: []int32{self, 2}})
	apply(replica.State{Leader: self, LeaderEpoch: 2, Replicas: []int32{self, 2}, ISR: []int32{self, 2}})
	if _, err := m.StopReplicas(1, []replica.Stop{{Topic: "t", LeaderEpoch: -1}}); err != nil {
		t.Fatal(err)
	}
	want := []leadershipEvent{{"t", 0, true, 0}, {"t", 0, false, 1}, {"t", 0, true, 2}, {"t", 0, false, -1}}
	if !slices.Equal(got, want) {
		t.Fatalf("hook saw %v, want %v", got, want)
	}
}
