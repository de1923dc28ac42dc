package replica_test

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/store/partitionlog"
)

const (
	self        int32 = 1
	testTimeout       = 10 * time.Second
)

type logConfigs struct{ maxMessageBytes int32 }

func (c logConfigs) LogConfig(string) partitionlog.Config {
	cfg := partitionlog.DefaultConfig()
	if c.maxMessageBytes > 0 {
		cfg.MaxMessageBytes = c.maxMessageBytes
	}
	return cfg
}

// newManager returns a replica manager for broker 1 over real logs in a
// temporary directory.
func newManager(t *testing.T) (*replica.Manager, *partitionlog.Manager) {
	t.Helper()
	logger := slog.New(slog.DiscardHandler)
	logs, err := partitionlog.OpenManager([]string{t.TempDir()}, partitionlog.ManagerOptions{Logger: logger, FileDeleteDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := logs.Close(); err != nil {
			t.Errorf("close logs: %v", err)
		}
	})
	return replica.NewManager(self, logs, logConfigs{}, logger), logs
}

// lead applies one LeaderAndIsr state for t-0 and fails on any error.
func lead(t *testing.T, m *replica.Manager, s replica.State) *replica.Partition {
	t.Helper()
	res, err := m.ApplyLeaderAndIsr(1, []replica.LeaderAndIsr{{Topic: "t", TopicID: [16]byte{1}, State: s}})
	if err != nil {
		t.Fatal(err)
	}
	if err := res[partitionlog.TopicPartition{Topic: "t"}]; err != nil {
		t.Fatal(err)
	}
	p, _ := m.Get("t", 0)
	return p
}

// records is a producer's v2 batch of n records.
func records(n int) []byte {
	var recs []byte
	for i := range n {
		r := kmsg.Record{OffsetDelta: int32(i), Value: []byte("v")}
		body := r.AppendTo(nil)[1:]
		r.Length = int32(len(body))
		recs = r.AppendTo(recs)
	}
	b := kmsg.RecordBatch{PartitionLeaderEpoch: -1, Magic: 2, LastOffsetDelta: int32(n - 1), FirstTimestamp: 1000, MaxTimestamp: 1000,
		ProducerID: -1, ProducerEpoch: -1, FirstSequence: -1, NumRecords: int32(n), Records: recs}
	out := b.AppendTo(nil)
	binary.BigEndian.PutUint32(out[8:12], uint32(len(out)-12))
	binary.BigEndian.PutUint32(out[17:21], crc32.Checksum(out[21:], crc32.MakeTable(crc32.Castagnoli)))
	return out
}

func mustAppend(t *testing.T, p *replica.Partition, n int) {
	t.Helper()
	if _, err := p.AppendAsLeader(records(n), 1, 1); err != nil {
		t.Fatal(err)
	}
}

func TestHighWatermarkFollowsTheISR(t *testing.T) {
	tests := []struct {
		name    string
		isr     []int32
		fetches map[int32]int64 // follower fetch offsets, in id order
		hw      int64
	}{
		{name: "leader alone", isr: []int32{1}, hw: 5},
		{name: "follower has nothing", isr: []int32{1, 2}, hw: 0},
		{name: "follower part way", isr: []int32{1, 2}, fetches: map[int32]int64{2: 3}, hw: 3},
		{name: "slowest follower counts", isr: []int32{1, 2, 3}, fetches: map[int32]int64{2: 5, 3: 2}, hw: 2},
		{name: "follower outside the ISR does not count", isr: []int32{1, 2}, fetches: map[int32]int64{2: 4, 3: 1}, hw: 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := newManager(t)
			p := lead(t, m, replica.State{Leader: self, Replicas: []int32{1, 2, 3}, ISR: tc.isr})
			mustAppend(t, p, 5)
			for _, id := range []int32{2, 3} {
				if off, ok := tc.fetches[id]; ok {
					if _, err := p.Read(replica.FetchParams{Offset: off, MaxBytes: 1 << 20, LeaderEpoch: -1, ReplicaID: id}); err != nil {
						t.Fatalf("fetch from %d: %v", id, err)
					}
				}
			}
			if _, hw, _ := p.Offsets(); hw != tc.hw {
				t.Fatalf("high watermark %d, want %d", hw, tc.hw)
			}
		})
	}
}

func TestHighWatermarkNeverMovesBack(t *testing.T) {
	m, _ := newManager(t)
	p := lead(t, m, replica.State{Leader: self, Replicas: []int32{1, 2}, ISR: []int32{1, 2}})
	mustAppend(t, p, 4)
	fetch := func(off int64) {
		if _, err := p.Read(replica.FetchParams{Offset: off, MaxBytes: 1 << 20, LeaderEpoch: -1, ReplicaID: 2}); err != nil {
			t.Fatal(err)
		}
	}
	fetch(4)
	fetch(1) // a stale or retried fetch
	if _, hw, _ := p.Offsets(); hw != 4 {
		t.Fatalf("high watermark %d after a lower fetch, want it kept at 4", hw)
	}
}

func TestFetchFromANonReplica(t *testing.T) {
	m, _ := newManager(t)
	p := lead(t, m, replica.State{Leader: self, Replicas: []int32{1, 2}, ISR: []int32{1}})
	mustAppend(t, p, 2)
	_, err := p.Read(replica.FetchParams{Offset: 2, MaxBytes: 1 << 20, LeaderEpoch: -1, ReplicaID: 7})
	if !errors.Is(err, replica.ErrNotLeaderOrFollower) {
		t.Fatalf("fetch from broker 7, not a replica: %v, want ErrNotLeaderOrFollower", err)
	}
}

func TestLeaderChecks(t *testing.T) {
	tests := []struct {
		name  string
		state replica.State
		epoch int32
		want  error
	}{
		{name: "leader, any epoch", state: replica.State{Leader: self, LeaderEpoch: 3, Replicas: []int32{1}}, epoch: -1},
		{name: "leader, same epoch", state: replica.State{Leader: self, LeaderEpoch: 3, Replicas: []int32{1}}, epoch: 3},
		{name: "older epoch", state: replica.State{Leader: self, LeaderEpoch: 3, Replicas: []int32{1}}, epoch: 2, want: replica.ErrFencedLeaderEpoch},
		{name: "newer epoch", state: replica.State{Leader: self, LeaderEpoch: 3, Replicas: []int32{1}}, epoch: 4, want: replica.ErrUnknownLeaderEpoch},
		{name: "follower", state: replica.State{Leader: 2, LeaderEpoch: 3, Replicas: []int32{1, 2}}, epoch: -1, want: replica.ErrNotLeaderOrFollower},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := newManager(t)
			lead(t, m, tc.state)
			_, err := m.Leader("t", 0, tc.epoch)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Leader: %v, want %v", err, tc.want)
			}
			if tc.want == replica.ErrNotLeaderOrFollower {
				p, _ := m.Get("t", 0)
				if _, err := p.AppendAsLeader(records(1), 1, 1); !errors.Is(err, replica.ErrNotLeaderOrFollower) {
					t.Fatalf("append on a follower: %v", err)
				}
			}
		})
	}
	m, _ := newManager(t)
	if _, err := m.Leader("nope", 0, -1); !errors.Is(err, replica.ErrUnknownTopicOrPartition) {
		t.Fatalf("unknown partition: %v", err)
	}
}

// TestChangedFires: every change a waiter may care about closes the channel
// it took before the change.
func TestChangedFires(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, m *replica.Manager, p *replica.Partition)
	}{
		{name: "append", change: func(t *testing.T, _ *replica.Manager, p *replica.Partition) { mustAppend(t, p, 1) }},
		{name: "high watermark", change: func(t *testing.T, _ *replica.Manager, p *replica.Partition) {
			if _, err := p.Read(replica.FetchParams{Offset: 1, MaxBytes: 1, LeaderEpoch: -1, ReplicaID: 2}); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "leadership", change: func(t *testing.T, m *replica.Manager, _ *replica.Partition) {
			lead(t, m, replica.State{Leader: 2, LeaderEpoch: 1, Replicas: []int32{1, 2}, ISR: []int32{1, 2}})
		}},
		{name: "stop", change: func(t *testing.T, m *replica.Manager, _ *replica.Partition) {
			if _, err := m.StopReplicas(1, []replica.Stop{{Topic: "t", LeaderEpoch: -1}}); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := newManager(t)
			p := lead(t, m, replica.State{Leader: self, Replicas: []int32{1, 2}, ISR: []int32{1, 2}})
			mustAppend(t, p, 1)
			ch := p.Changed()
			tc.change(t, m, p)
			select {
			case <-ch:
			case <-time.After(testTimeout):
				t.Fatal("Changed not closed")
			}
		})
	}
}

func TestReplicated(t *testing.T) {
	m, _ := newManager(t)
	p := lead(t, m, replica.State{Leader: self, Replicas: []int32{1, 2}, ISR: []int32{1, 2}})
	mustAppend(t, p, 2)
	done, wake, err := p.Replicated(2, 2)
	if done || err != nil || wake == nil {
		t.Fatalf("before the follower fetched: done %v err %v", done, err)
	}
	if _, err := p.Read(replica.FetchParams{Offset: 2, MaxBytes: 1, LeaderEpoch: -1, ReplicaID: 2}); err != nil {
		t.Fatal(err)
	}
	<-wake // closed by the high watermark's move
	if done, _, err := p.Replicated(2, 2); !done || err != nil {
		t.Fatalf("after the follower fetched: done %v err %v", done, err)
	}
	lead(t, m, replica.State{Leader: self, Replicas: []int32{1, 2}, ISR: []int32{1}})
	if done, _, err := p.Replicated(2, 2); !done || !errors.Is(err, replica.ErrNotEnoughReplicasAfterAppend) {
		t.Fatalf("ISR below min.insync: done %v err %v", done, err)
	}
	if _, err := p.AppendAsLeader(records(1), -1, 2); !errors.Is(err, replica.ErrNotEnoughReplicas) {
		t.Fatalf("acks=all append with ISR below min.insync: %v", err)
	}
}

func TestApplyLeaderAndIsr(t *testing.T) {
	m, logs := newManager(t)
	tp := partitionlog.TopicPartition{Topic: "t"}
	p := lead(t, m, replica.State{Leader: self, LeaderEpoch: 2, Replicas: []int32{1}, ISR: []int32{1}})
	mustAppend(t, p, 3)
	apply := func(epoch int32, id [16]byte, s replica.State) error {
		res, err := m.ApplyLeaderAndIsr(epoch, []replica.LeaderAndIsr{{Topic: "t", TopicID: id, State: s}})
		if err != nil {
			return err
		}
		return res[tp]
	}
	if err := apply(0, [16]byte{1}, replica.State{Leader: self, LeaderEpoch: 9, Replicas: []int32{1}}); !errors.Is(err, replica.ErrStaleControllerEpoch) {
		t.Fatalf("older controller: %v", err)
	}
	if err := apply(1, [16]byte{1}, replica.State{Leader: self, LeaderEpoch: 1, Replicas: []int32{1}}); !errors.Is(err, replica.ErrStaleLeaderEpoch) {
		t.Fatalf("older leader epoch: %v", err)
	}
	if err := apply(1, [16]byte{}, replica.State{Leader: self, LeaderEpoch: 3, Replicas: []int32{1}}); err != nil {
		t.Fatalf("no topic id: %v", err)
	}
	if got, _ := m.Get("t", 0); got != p || logEndOffset(p) != 3 {
		t.Fatal("a LeaderAndIsr without topic id replaced the partition or its log")
	}
	if err := apply(1, [16]byte{1}, replica.State{Leader: 2, LeaderEpoch: 4, Replicas: []int32{2, 3}}); !errors.Is(err, replica.ErrUnknownTopicOrPartition) {
		t.Fatalf("no longer a replica: %v", err)
	}
	if err := apply(1, [16]byte{2}, replica.State{Leader: self, LeaderEpoch: 0, Replicas: []int32{1}}); err != nil {
		t.Fatalf("recreated topic: %v", err)
	}
	if log, _ := logs.Get(tp); log.TopicID() != ([16]byte{2}) || log.LogEndOffset() != 0 {
		t.Fatal("recreated topic kept the old log")
	}
	if err := p.CheckLeader(-1); !errors.Is(err, replica.ErrNotLeaderOrFollower) {
		t.Fatalf("replaced partition still leads: %v", err)
	}
}

func TestStopReplicas(t *testing.T) {
	m, logs := newManager(t)
	lead(t, m, replica.State{Leader: self, LeaderEpoch: 2, Replicas: []int32{1}, ISR: []int32{1}})
	tp := partitionlog.TopicPartition{Topic: "t"}
	if _, err := m.StopReplicas(0, []replica.Stop{{Topic: "t", LeaderEpoch: -1}}); !errors.Is(err, replica.ErrStaleControllerEpoch) {
		t.Fatalf("older controller: %v", err)
	}
	res, err := m.StopReplicas(1, []replica.Stop{{Topic: "t", LeaderEpoch: 1, DeleteLog: true}})
	if err != nil || !errors.Is(res[tp], replica.ErrFencedLeaderEpoch) {
		t.Fatalf("older leader epoch: %v %v", err, res[tp])
	}
	res, err = m.StopReplicas(1, []replica.Stop{{Topic: "t", LeaderEpoch: -2, DeleteLog: true}, {Topic: "gone", LeaderEpoch: -1, DeleteLog: true}})
	if err != nil || res[tp] != nil || res[partitionlog.TopicPartition{Topic: "gone"}] != nil {
		t.Fatalf("stop and delete: %v %v", err, res)
	}
	if _, ok := m.Get("t", 0); ok {
		t.Fatal("partition still hosted")
	}
	if _, ok := logs.Get(tp); ok {
		t.Fatal("log not deleted")
	}
}

// TestConcurrentProduceAndFetch runs appends, follower fetches and consumer
// reads side by side, for the race detector, and checks the end state.
func TestConcurrentProduceAndFetch(t *testing.T) {
	m, _ := newManager(t)
	p := lead(t, m, replica.State{Leader: self, Replicas: []int32{1, 2}, ISR: []int32{1, 2}})
	const appends = 200
	var wg sync.WaitGroup
	wg.Add(3)
	go func() {
		defer wg.Done()
		for range appends {
			if _, err := p.AppendAsLeader(records(1), 1, 1); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	go func() { // the follower keeps up until it has everything
		defer wg.Done()
		deadline := time.Now().Add(testTimeout)
		for off := int64(0); off < appends && time.Now().Before(deadline); {
			ch := p.Changed()
			res, err := p.Read(replica.FetchParams{Offset: off, MaxBytes: 1 << 20, LeaderEpoch: -1, ReplicaID: 2})
			if err != nil {
				t.Error(err)
				return
			}
			if res.LogEndOffset == off {
				select {
				case <-ch:
				case <-time.After(testTimeout):
					t.Error("follower never woken")
					return
				}
			}
			off = res.LogEndOffset
		}
		if _, err := p.Read(replica.FetchParams{Offset: appends, MaxBytes: 1, LeaderEpoch: -1, ReplicaID: 2}); err != nil {
			t.Error(err)
		}
	}()
	go func() {
		defer wg.Done()
		for range appends {
			if _, err := p.Read(replica.FetchParams{Offset: 0, MaxBytes: 1 << 10, LeaderEpoch: -1, ReplicaID: -1, MinOneBatch: true}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	wg.Wait()
	if _, hw, leo := p.Offsets(); hw != appends || leo != appends {
		t.Fatalf("high watermark %d, log end %d, want %d", hw, leo, appends)
	}
}

// TestLeaderAndIsrRefusesUnsafeNames: topic names become directory names, so
// a LeaderAndIsr (which any client can send) must not name a path.
func TestLeaderAndIsrRefusesUnsafeNames(t *testing.T) {
	tests := []struct {
		topic     string
		partition int32
	}{
		{topic: "../escape"},
		{topic: "a/b"},
		{topic: ".."},
		{topic: ""},
		{topic: "ok", partition: -1},
	}
	for _, tc := range tests {
		m, logs := newManager(t)
		res, err := m.ApplyLeaderAndIsr(1, []replica.LeaderAndIsr{{Topic: tc.topic, Partition: tc.partition,
			State: replica.State{Leader: self, Replicas: []int32{self}, ISR: []int32{self}}}})
		tp := partitionlog.TopicPartition{Topic: tc.topic, Partition: tc.partition}
		if err != nil || !errors.Is(res[tp], replica.ErrUnknownTopicOrPartition) {
			t.Errorf("%q-%d: %v %v, want ErrUnknownTopicOrPartition", tc.topic, tc.partition, err, res[tp])
		}
		if len(logs.All()) != 0 || len(logs.OfflineDirs()) != 0 {
			t.Errorf("%q-%d: %d logs created, offline dirs %v", tc.topic, tc.partition, len(logs.All()), logs.OfflineDirs())
		}
	}
}

// TestPartitionlogRefusesUnsafeNames documents a bug for store/partitionlog:
// Manager.Create builds the directory from the topic name unchecked.
func TestPartitionlogRefusesUnsafeNames(t *testing.T) {
	t.Skip("BUG: store/partitionlog Manager.Create accepts topic \"../escape\" and creates escape-0 outside log.dirs " +
		"(and \"a/b\" as nested directories); it should refuse names Kafka's Topic.validate refuses")
	root := t.TempDir()
	logs, err := partitionlog.OpenManager([]string{root + "/logs"}, partitionlog.ManagerOptions{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer logs.Close()
	if _, err := logs.Create(partitionlog.TopicPartition{Topic: "../escape"}, [16]byte{1}, partitionlog.DefaultConfig()); err == nil {
		t.Fatal("Create(\"../escape\") succeeded")
	}
}

func logEndOffset(p *replica.Partition) int64 {
	_, _, leo := p.Offsets()
	return leo
}
