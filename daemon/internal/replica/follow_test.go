package replica_test

import (
	"errors"
	"testing"

	"github.com/kqhq/kq/daemon/internal/replica"
)

// followerWithEpochs builds broker 1's log holding, for each step, n
// one-record batches written at that leader epoch (batch boundaries at every
// offset, as truncation needs), then follows broker 2 at epoch 9.
func followerWithEpochs(t *testing.T, steps [][2]int) *replica.Partition {
	t.Helper()
	m, _ := newManager(t)
	var p *replica.Partition
	for _, s := range steps {
		p = lead(t, m, replica.State{Leader: self, LeaderEpoch: int32(s[0]), Replicas: []int32{1, 2}, ISR: []int32{1}})
		for range s[1] {
			mustAppend(t, p, 1)
		}
	}
	return lead(t, m, replica.State{Leader: 2, LeaderEpoch: 9, Replicas: []int32{1, 2}, ISR: []int32{2}})
}

func TestTruncateToDivergence(t *testing.T) {
	// The follower's log: epoch 1 at [0,10), epoch 3 at [10,20), epoch 5 at [20,30).
	steps := [][2]int{{1, 10}, {3, 10}, {5, 10}}
	tests := []struct {
		name      string
		epoch     int32
		leaderEnd int64
		want      int64
	}{
		{name: "same epoch, leader ended it earlier", epoch: 3, leaderEnd: 15, want: 15},
		{name: "same epoch, leader ended it later", epoch: 3, leaderEnd: 25, want: 20},
		{name: "epoch the follower never had: end of its last earlier one", epoch: 4, leaderEnd: 12, want: 20},
		{name: "epoch before every entry: the leader's end", epoch: 0, leaderEnd: 0, want: 0},
		{name: "leader end past the log end", epoch: 5, leaderEnd: 99, want: 30},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := followerWithEpochs(t, steps)
			leo, err := p.TruncateToDivergence(9, tc.epoch, tc.leaderEnd)
			if err != nil {
				t.Fatal(err)
			}
			if leo != tc.want {
				t.Fatalf("log end %d after truncation, want %d", leo, tc.want)
			}
		})
	}
}

func TestFollowerCallsRefusedAfterEpochMoves(t *testing.T) {
	p := followerWithEpochs(t, [][2]int{{1, 5}})
	calls := map[string]func() error{
		"position": func() error { _, err := p.FollowerPosition(8); return err },
		"append":   func() error { _, err := p.AppendFromLeader(8, nil, 5, 0); return err },
		"truncate": func() error { _, err := p.TruncateToDivergence(8, 1, 0); return err },
		"reset":    func() error { return p.ResetToLeader(8, 100, 200) },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, replica.ErrNotLeaderOrFollower) {
			t.Errorf("%s at a past epoch: %v, want ErrNotLeaderOrFollower", name, err)
		}
	}
	if _, _, leo := p.Offsets(); leo != 5 {
		t.Fatalf("log end %d, want it untouched at 5", leo)
	}
}

func TestResetToLeader(t *testing.T) {
	tests := []struct {
		name                   string
		leaderStart, leaderEnd int64
		wantStart, wantEnd     int64
	}{
		{name: "leader log ends before ours (unclean election)", leaderStart: 0, leaderEnd: 4, wantStart: 0, wantEnd: 4},
		{name: "leader log starts after ours ends", leaderStart: 50, leaderEnd: 60, wantStart: 50, wantEnd: 50},
		{name: "ours fits inside the leader's", leaderStart: 2, leaderEnd: 60, wantStart: 0, wantEnd: 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := followerWithEpochs(t, [][2]int{{1, 10}})
			if err := p.ResetToLeader(9, tc.leaderStart, tc.leaderEnd); err != nil {
				t.Fatal(err)
			}
			if start, _, end := p.Offsets(); start != tc.wantStart || end != tc.wantEnd {
				t.Fatalf("log [%d,%d), want [%d,%d)", start, end, tc.wantStart, tc.wantEnd)
			}
		})
	}
}
