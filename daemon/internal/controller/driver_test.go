package controller_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/kqhq/kq/daemon/internal/controller"
	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/daemon/kafkazk"
	"github.com/kqhq/kq/store/meta"
)

// faultyStore is a controller's store that fails as scripted: reads of the
// live brokers with a lost connection, partition state creations with a
// failed controller epoch check (another controller was elected).
type faultyStore struct {
	*kafkazk.Client
	mu               sync.Mutex
	failLiveBrokers  int
	fenceCreates     int
	elections, wins  int
	lastElectedEpoch int32
}

func (f *faultyStore) take(n *int) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if *n == 0 {
		return false
	}
	*n--
	return true
}

func (f *faultyStore) LiveBrokers(ctx context.Context) (map[int32]metadatacache.Broker, <-chan struct{}, error) {
	if f.take(&f.failLiveBrokers) {
		return nil, nil, errors.New("connection lost")
	}
	return f.Client.LiveBrokers(ctx)
}

func (f *faultyStore) CreatePartitionState(ctx context.Context, topic string, p int32, s controller.PartitionState) (controller.PartitionState, error) {
	if f.take(&f.fenceCreates) {
		check := &meta.MultiError{Index: 0, Op: meta.CheckOp{Path: "/controller_epoch", Version: 0}, Err: meta.ErrBadVersion}
		return s, fmt.Errorf("create state of %s-%d: %w", topic, p, check)
	}
	return f.Client.CreatePartitionState(ctx, topic, p, s)
}

func (f *faultyStore) Elect(ctx context.Context, id int32) (bool, int32, <-chan struct{}, error) {
	won, epoch, ch, err := f.Client.Elect(ctx, id)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.elections++
	if won {
		f.wins++
		f.lastElectedEpoch = epoch
	}
	return won, epoch, ch, err
}

// startFaulty runs broker 1's controller over a faulty store.
func startFaulty(t *testing.T, c *cluster, f *faultyStore) *kafkazk.Client {
	zk := c.register(1)
	f.Client = zk
	ctl := controller.New(controller.Config{BrokerID: 1, Store: f, Sender: c.rec, Logger: slog.New(slog.DiscardHandler)})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = ctl.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return zk
}

// register connects a session and registers broker id on it.
func (c *cluster) register(id int32) *kafkazk.Client {
	sess, err := c.srv.Connect(6 * time.Second)
	if err != nil {
		c.t.Fatal(err)
	}
	zk := kafkazk.New(sess, slog.New(slog.DiscardHandler))
	ctx := context.Background()
	if err := zk.EnsurePaths(ctx); err != nil {
		c.t.Fatal(err)
	}
	reg := kafkazk.Registration{ID: id, Endpoints: []metadatacache.Endpoint{{Listener: "PLAINTEXT", Host: "127.0.0.1", Port: 9000 + id}}}
	if err := zk.RegisterBroker(ctx, reg); err != nil {
		c.t.Fatal(err)
	}
	return zk
}

// stateOf waits for t-0's state to be written and returns it.
func (c *cluster) stateOf(zk *kafkazk.Client) controller.PartitionState {
	c.t.Helper()
	var got controller.PartitionState
	c.eventually("t-0 has a state", func() error {
		states, err := zk.PartitionStates(context.Background(), "t")
		if err != nil {
			return err
		}
		s, ok := states[0]
		if !ok {
			return fmt.Errorf("no state yet")
		}
		got = s
		return nil
	})
	return got
}

func TestDriverRecovery(t *testing.T) {
	tests := []struct {
		name  string
		fault func() *faultyStore
		// wins is how many times broker 1 must have been elected: a
		// controller that cannot go on gives /controller up and wins it
		// again with a new epoch.
		wins int
	}{
		{name: "loading the cluster fails", fault: func() *faultyStore { return &faultyStore{failLiveBrokers: 1} }, wins: 2},
		{name: "a write fails its controller epoch check", fault: func() *faultyStore { return &faultyStore{fenceCreates: 1} }, wins: 2},
		{name: "no fault", fault: func() *faultyStore { return &faultyStore{} }, wins: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCluster(t)
			f := tt.fault()
			zk := startFaulty(t, c, f)
			c.eventually("broker 1 is controller", func() error { return isController(zk, 1) })
			if _, err := zk.CreateTopic(context.Background(), kafkazk.TopicSpec{Name: "t", Assignment: map[int32][]int32{0: {1}}}); err != nil {
				t.Fatal(err)
			}
			s := c.stateOf(zk)
			f.mu.Lock()
			defer f.mu.Unlock()
			if f.wins != tt.wins || s.Leader != 1 || s.ControllerEpoch != f.lastElectedEpoch {
				t.Fatalf("wins %d (want %d), state %+v written under epoch %d", f.wins, tt.wins, s, f.lastElectedEpoch)
			}
		})
	}
}
