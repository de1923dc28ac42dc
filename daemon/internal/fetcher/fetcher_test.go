package fetcher_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/fetcher"
	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/store/partitionlog"
)

const (
	leaderID   int32 = 1
	followerID int32 = 2
	timeout          = 10 * time.Second
)

var topicID = [16]byte{7}

type logConfigs struct{}

func (logConfigs) LogConfig(string) partitionlog.Config { return partitionlog.DefaultConfig() }

// broker is one replica manager over real logs.
type broker struct {
	m    *replica.Manager
	logs *partitionlog.Manager
}

func newBroker(t *testing.T, id int32, opts ...replica.Option) *broker {
	t.Helper()
	return newBrokerWith(t, id, logConfigs{}, opts...)
}

// newBrokerWith is newBroker with the topics' log configs given.
func newBrokerWith(t *testing.T, id int32, configs replica.LogConfigs, opts ...replica.Option) *broker {
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
	return &broker{m: replica.NewManager(id, logs, configs, logger, opts...), logs: logs}
}

func (b *broker) apply(t *testing.T, s replica.State) *replica.Partition {
	t.Helper()
	res, err := b.m.ApplyLeaderAndIsr(1, []replica.LeaderAndIsr{{Topic: "t", TopicID: topicID, State: s}})
	if err != nil {
		t.Fatal(err)
	}
	if err := res[partitionlog.TopicPartition{Topic: "t"}]; err != nil {
		t.Fatal(err)
	}
	p, _ := b.m.Get("t", 0)
	return p
}

// epochs returns the leader epoch cache of the broker's log of t-0.
func (b *broker) epochs(t *testing.T) []partitionlog.EpochEntry {
	t.Helper()
	l, ok := b.logs.Get(partitionlog.TopicPartition{Topic: "t"})
	if !ok {
		t.Fatal("no log of t-0")
	}
	return l.LeaderEpochs().Entries()
}

// leaderServer answers Fetch and ListOffsets from a broker's replica
// manager, the way the handler does, without the network.
type leaderServer struct {
	b        *broker
	requests atomic.Int64
	down     atomic.Bool
}

func (s *leaderServer) Dial(string) (fetcher.Client, error) { return s, nil }
func (s *leaderServer) Close()                              {}

func (s *leaderServer) Request(ctx context.Context, req kmsg.Request) (kmsg.Response, error) {
	s.requests.Add(1)
	if s.down.Load() {
		return nil, errors.New("connection refused")
	}
	switch r := req.(type) {
	case *kmsg.FetchRequest:
		return s.fetch(ctx, r), nil
	case *kmsg.ListOffsetsRequest:
		return s.listOffsets(r), nil
	}
	return nil, fmt.Errorf("unexpected %T", req)
}

func (s *leaderServer) fetch(ctx context.Context, req *kmsg.FetchRequest) *kmsg.FetchResponse {
	req.Version = 16
	if req.ReplicaState.ID != followerID || req.ReplicaID != followerID {
		resp := req.ResponseKind().(*kmsg.FetchResponse)
		resp.ErrorCode = kerr.InvalidRequest.Code // the fetcher backs off and the test times out
		return resp
	}
	var wake []<-chan struct{}
	resp := s.readAll(req, &wake)
	if fetchedBytes(resp) > 0 || len(wake) == 0 {
		return resp
	}
	t := time.NewTimer(time.Duration(req.MaxWaitMillis) * time.Millisecond)
	defer t.Stop()
	select {
	case <-wake[0]:
	case <-t.C:
	case <-ctx.Done():
	}
	return s.readAll(req, &wake)
}

func (s *leaderServer) readAll(req *kmsg.FetchRequest, wake *[]<-chan struct{}) *kmsg.FetchResponse {
	resp := req.ResponseKind().(*kmsg.FetchResponse)
	for _, rt := range req.Topics {
		t := kmsg.NewFetchResponseTopic()
		t.TopicID = rt.TopicID
		for _, rp := range rt.Partitions {
			out := kmsg.NewFetchResponseTopicPartition()
			out.Partition = rp.Partition
			part, err := s.b.m.Leader(rt.Topic, rp.Partition, rp.CurrentLeaderEpoch)
			if err == nil {
				*wake = append(*wake, part.Changed())
				err = s.read(part, rp, &out)
			}
			out.ErrorCode = code(err)
			t.Partitions = append(t.Partitions, out)
		}
		resp.Topics = append(resp.Topics, t)
	}
	return resp
}

func (s *leaderServer) read(part *replica.Partition, rp kmsg.FetchRequestTopicPartition, out *kmsg.FetchResponseTopicPartition) error {
	res, err := part.Read(replica.FetchParams{
		Offset: rp.FetchOffset, MaxBytes: rp.PartitionMaxBytes, LeaderEpoch: rp.CurrentLeaderEpoch,
		ReplicaID: followerID, MinOneBatch: true, LastFetchedEpoch: rp.LastFetchedEpoch,
	})
	if err != nil {
		return err
	}
	out.HighWatermark, out.LogStartOffset = res.HighWatermark, res.LogStartOffset
	if d := res.DivergingEpoch; d != nil {
		out.DivergingEpoch.Epoch, out.DivergingEpoch.EndOffset = d.Epoch, d.EndOffset
	}
	out.RecordBatches, err = res.Data.Bytes()
	return err
}

func fetchedBytes(resp *kmsg.FetchResponse) int {
	n := 0
	for _, t := range resp.Topics {
		for _, p := range t.Partitions {
			n += len(p.RecordBatches)
			if p.ErrorCode != 0 || p.DivergingEpoch.EndOffset >= 0 {
				n++ // answer at once
			}
		}
	}
	return n
}

func (s *leaderServer) listOffsets(req *kmsg.ListOffsetsRequest) *kmsg.ListOffsetsResponse {
	resp := req.ResponseKind().(*kmsg.ListOffsetsResponse)
	for _, rt := range req.Topics {
		t := kmsg.NewListOffsetsResponseTopic()
		t.Topic = rt.Topic
		for _, rp := range rt.Partitions {
			out := kmsg.NewListOffsetsResponseTopicPartition()
			out.Partition = rp.Partition
			part, err := s.b.m.Leader(rt.Topic, rp.Partition, rp.CurrentLeaderEpoch)
			if err == nil {
				start, _, end := part.Offsets()
				out.Offset = end
				if rp.Timestamp == -2 {
					out.Offset = start
				}
			}
			out.ErrorCode = code(err)
			t.Partitions = append(t.Partitions, out)
		}
		resp.Topics = append(resp.Topics, t)
	}
	return resp
}

func code(err error) int16 {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, replica.ErrFencedLeaderEpoch):
		return kerr.FencedLeaderEpoch.Code
	case errors.Is(err, replica.ErrUnknownLeaderEpoch):
		return kerr.UnknownLeaderEpoch.Code
	case errors.Is(err, partitionlog.ErrOffsetOutOfRange):
		return kerr.OffsetOutOfRange.Code
	case errors.Is(err, replica.ErrNotLeaderOrFollower):
		return kerr.NotLeaderForPartition.Code
	}
	return kerr.UnknownServerError.Code
}

// newFetchers returns the follower's fetcher manager pointed at srv.
func newFetchers(t *testing.T, srv *leaderServer) *fetcher.Manager {
	t.Helper()
	fm := fetcher.New(fetcher.Config{
		BrokerID: followerID,
		Address:  func(id int32) (string, bool) { return fmt.Sprint("broker-", id), id == leaderID },
		Dial:     srv.Dial,
		MaxBytes: 1 << 20, ResponseMaxBytes: 10 << 20, MinBytes: 1,
		MaxWait: 50 * time.Millisecond, Backoff: 10 * time.Millisecond,
		Logger: slog.New(slog.DiscardHandler),
	})
	t.Cleanup(fm.Close)
	return fm
}

// records is a producer's v2 batch of n records with the given value.
func records(n int, value string) []byte {
	var recs []byte
	for i := range n {
		r := kmsg.Record{OffsetDelta: int32(i), Value: []byte(value)}
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

func appendN(t *testing.T, p *replica.Partition, batches, perBatch int, value string) {
	t.Helper()
	for range batches {
		if _, err := p.AppendAsLeader(records(perBatch, value), 1, 1); err != nil {
			t.Fatal(err)
		}
	}
}

// logBytes reads a whole log from start to end.
func logBytes(t *testing.T, p *replica.Partition) []byte {
	t.Helper()
	var buf bytes.Buffer
	start, _, end := p.Offsets()
	for off := start; off < end; {
		res, err := p.ReadToLogEnd(off, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if res.Len == 0 {
			break
		}
		if _, err := res.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		b := buf.Bytes()[buf.Len()-int(res.Len):]
		off = lastOffsetIn(b) + 1
	}
	return buf.Bytes()
}

// lastOffsetIn returns the last offset of the last batch in b.
func lastOffsetIn(b []byte) int64 {
	var last int64
	for len(b) >= 61 {
		base := int64(binary.BigEndian.Uint64(b[0:8]))
		size := int(binary.BigEndian.Uint32(b[8:12])) + 12
		last = base + int64(binary.BigEndian.Uint32(b[23:27]))
		b = b[size:]
	}
	return last
}

func eventually(t *testing.T, what string, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: %v", what, err)
		}
		time.Sleep(2 * time.Millisecond) // polling a condition
	}
}

func sameLogs(t *testing.T, a, b *replica.Partition) func() error {
	return func() error {
		as, ahw, aleo := a.Offsets()
		bs, bhw, bleo := b.Offsets()
		if as != bs || aleo != bleo || ahw != bhw {
			return fmt.Errorf("leader [%d,%d) hw %d, follower [%d,%d) hw %d", as, aleo, ahw, bs, bleo, bhw)
		}
		if !bytes.Equal(logBytes(t, a), logBytes(t, b)) {
			return errors.New("same offsets, different bytes")
		}
		return nil
	}
}

var twoReplicas = []int32{leaderID, followerID}

func TestFollowerReplicatesAndLeaderCommits(t *testing.T) {
	leader := newBroker(t, leaderID)
	srv := &leaderServer{b: leader}
	follower := newBroker(t, followerID, replica.WithFetchers(newFetchers(t, srv)))
	state := replica.State{Leader: leaderID, LeaderEpoch: 0, Replicas: twoReplicas, ISR: twoReplicas}
	lp := leader.apply(t, state)
	fp := follower.apply(t, state)
	appendN(t, lp, 20, 5, "v")
	eventually(t, "identical logs", sameLogs(t, lp, fp))
	// The leader learns the follower holds the records from its next
	// fetch, a moment after the follower's log has them.
	eventually(t, "the leader's high watermark at 100", func() error {
		if _, hw, _ := lp.Offsets(); hw != 100 {
			return fmt.Errorf("leader high watermark %d, want 100", hw)
		}
		return nil
	})
	if done, _, err := lp.Replicated(100, 2); !done || err != nil {
		t.Fatalf("acks=all: done=%v err=%v", done, err)
	}
	entries := follower.epochs(t)
	if len(entries) != 1 || entries[0] != (partitionlog.EpochEntry{Epoch: 0, StartOffset: 0}) {
		t.Fatalf("follower epoch cache %v, want [{0 0}]", entries)
	}
}

func TestFollowerTruncatesDivergentTail(t *testing.T) {
	tests := []struct {
		name string
		// the follower's own writes as leader of epoch 1 that never
		// replicated, after a common prefix of 10
		stray int
	}{
		{name: "stray tail shorter than the leader's new data", stray: 3},
		{name: "stray tail longer than the leader's new data", stray: 30},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			leader := newBroker(t, leaderID)
			srv := &leaderServer{b: leader}
			fm := newFetchers(t, srv)
			follower := newBroker(t, followerID, replica.WithFetchers(fm))
			// Epoch 0: broker 1 leads, both get 10 records.
			s0 := replica.State{Leader: leaderID, LeaderEpoch: 0, Replicas: twoReplicas, ISR: twoReplicas}
			lp, fp := leader.apply(t, s0), follower.apply(t, s0)
			appendN(t, lp, 2, 5, "common")
			eventually(t, "common prefix", sameLogs(t, lp, fp))
			// Epoch 1: broker 2 leads alone and writes what nobody copies.
			s1 := replica.State{Leader: followerID, LeaderEpoch: 1, Replicas: twoReplicas, ISR: []int32{followerID}}
			follower.apply(t, s1)
			for range tc.stray {
				if _, err := fp.AppendAsLeader(records(1, "stray"), 1, 1); err != nil {
					t.Fatal(err)
				}
			}
			// Epoch 2: broker 1 leads again (say broker 2 was partitioned
			// away) and writes other records; broker 2 follows.
			s2 := replica.State{Leader: leaderID, LeaderEpoch: 2, Replicas: twoReplicas, ISR: []int32{leaderID}}
			leader.apply(t, s2)
			appendN(t, lp, 4, 2, "new")
			follower.apply(t, s2)
			eventually(t, "the follower's log equals the leader's", sameLogs(t, lp, fp))
			if got := follower.epochs(t); len(got) != 2 || got[1] != (partitionlog.EpochEntry{Epoch: 2, StartOffset: 10}) {
				t.Fatalf("follower epoch cache %v, want epoch 1 gone and epoch 2 at 10", got)
			}
		})
	}
}

func TestFollowerRestartsAtLeaderLogStart(t *testing.T) {
	leader := newBroker(t, leaderID)
	srv := &leaderServer{b: leader}
	fm := newFetchers(t, srv)
	follower := newBroker(t, followerID, replica.WithFetchers(fm))
	state := replica.State{Leader: leaderID, LeaderEpoch: 0, Replicas: twoReplicas, ISR: []int32{leaderID}}
	lp := leader.apply(t, state)
	appendN(t, lp, 10, 1, "old")
	// The leader deleted records the follower never had (DeleteRecords,
	// retention) before the follower started.
	if _, err := lp.DeleteRecordsBefore(6); err != nil {
		t.Fatal(err)
	}
	fp := follower.apply(t, state)
	eventually(t, "follower restarted at 6 and caught up", func() error {
		start, _, end := fp.Offsets()
		if start != 6 || end != 10 {
			return fmt.Errorf("follower log [%d,%d)", start, end)
		}
		return nil
	})
}

func TestFollowerBacksOffWhileLeaderUnreachable(t *testing.T) {
	leader := newBroker(t, leaderID)
	srv := &leaderServer{b: leader}
	srv.down.Store(true)
	fm := newFetchers(t, srv)
	follower := newBroker(t, followerID, replica.WithFetchers(fm))
	state := replica.State{Leader: leaderID, LeaderEpoch: 0, Replicas: twoReplicas, ISR: twoReplicas}
	lp, fp := leader.apply(t, state), follower.apply(t, state)
	appendN(t, lp, 1, 3, "v")
	eventually(t, "a few failed attempts", func() error {
		if n := srv.requests.Load(); n < 3 {
			return fmt.Errorf("%d requests", n)
		}
		return nil
	})
	srv.down.Store(false)
	eventually(t, "caught up once the leader answers", sameLogs(t, lp, fp))
}

func TestFollowerWaitsForLeaderToKnowItsEpoch(t *testing.T) {
	// The follower hears of epoch 1 before the leader does: the leader
	// answers UNKNOWN_LEADER_EPOCH until its own LeaderAndIsr arrives.
	leader := newBroker(t, leaderID)
	srv := &leaderServer{b: leader}
	follower := newBroker(t, followerID, replica.WithFetchers(newFetchers(t, srv)))
	s0 := replica.State{Leader: leaderID, LeaderEpoch: 0, Replicas: twoReplicas, ISR: twoReplicas}
	lp := leader.apply(t, s0)
	appendN(t, lp, 1, 3, "v")
	s1 := s0
	s1.LeaderEpoch = 1
	fp := follower.apply(t, s1)
	eventually(t, "some refused fetches", func() error {
		if n := srv.requests.Load(); n < 2 {
			return fmt.Errorf("%d requests", n)
		}
		return nil
	})
	leader.apply(t, s1)
	eventually(t, "caught up at epoch 1", sameLogs(t, lp, fp))
}

func TestUnfollowStopsFetching(t *testing.T) {
	leader := newBroker(t, leaderID)
	srv := &leaderServer{b: leader}
	fm := newFetchers(t, srv)
	follower := newBroker(t, followerID, replica.WithFetchers(fm))
	state := replica.State{Leader: leaderID, LeaderEpoch: 0, Replicas: twoReplicas, ISR: twoReplicas}
	leader.apply(t, state)
	follower.apply(t, state)
	if got := fm.Sources(); got[leaderID] != 1 {
		t.Fatalf("fetchers %v, want one partition from broker 1", got)
	}
	// Broker 2 becomes leader: its fetcher for broker 1 goes away.
	follower.apply(t, replica.State{Leader: followerID, LeaderEpoch: 1, Replicas: twoReplicas, ISR: []int32{followerID}})
	if got := fm.Sources(); len(got) != 0 {
		t.Fatalf("fetchers %v after becoming leader, want none", got)
	}
	follower.apply(t, replica.State{Leader: leaderID, LeaderEpoch: 2, Replicas: twoReplicas, ISR: twoReplicas})
	if _, err := follower.m.StopReplicas(1, []replica.Stop{{Topic: "t", LeaderEpoch: -1}}); err != nil {
		t.Fatal(err)
	}
	if got := fm.Sources(); len(got) != 0 {
		t.Fatalf("fetchers %v after StopReplica, want none", got)
	}
}

func TestManyPartitionsConcurrently(t *testing.T) {
	// Appends on the leader race the fetcher and consumer reads, for the
	// race detector; the follower ends identical.
	leader := newBroker(t, leaderID)
	srv := &leaderServer{b: leader}
	follower := newBroker(t, followerID, replica.WithFetchers(newFetchers(t, srv)))
	const parts = 4
	var lps, fps []*replica.Partition
	for i := range int32(parts) {
		s := replica.State{Leader: leaderID, Replicas: twoReplicas, ISR: twoReplicas}
		lai := []replica.LeaderAndIsr{{Topic: "t", TopicID: topicID, Partition: i, State: s}}
		if _, err := leader.m.ApplyLeaderAndIsr(1, lai); err != nil {
			t.Fatal(err)
		}
		if _, err := follower.m.ApplyLeaderAndIsr(1, lai); err != nil {
			t.Fatal(err)
		}
		lp, _ := leader.m.Get("t", i)
		fp, _ := follower.m.Get("t", i)
		lps, fps = append(lps, lp), append(fps, fp)
	}
	var wg sync.WaitGroup
	for _, lp := range lps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				if _, err := lp.AppendAsLeader(records(2, "x"), -1, 2); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	for i := range lps {
		eventually(t, fmt.Sprintf("partition %d identical", i), sameLogs(t, lps[i], fps[i]))
	}
}
