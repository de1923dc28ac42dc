package controller_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/controller"
	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/daemon/kafkazk"
	"github.com/kqhq/kq/store/meta/embedded"
)

// recorder is a Sender that remembers what each broker was sent.
type recorder struct {
	mu   sync.Mutex
	sent map[int32][]kmsg.Request
}

func (r *recorder) Send(_ context.Context, broker int32, req kmsg.Request) (kmsg.Response, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent[broker] = append(r.sent[broker], req)
	return req.ResponseKind(), nil
}

func (r *recorder) BrokersChanged(map[int32]metadatacache.Broker) {}

// leaders returns the latest leader of each partition of topic that broker
// was told about by UpdateMetadata.
func (r *recorder) leaders(broker int32, topic string) map[int32]int32 {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[int32]int32{}
	for _, req := range r.sent[broker] {
		umd, ok := req.(*kmsg.UpdateMetadataRequest)
		if !ok {
			continue
		}
		for _, ts := range umd.TopicStates {
			if ts.Topic != topic {
				continue
			}
			for _, ps := range ts.PartitionStates {
				if ps.Leader == metadatacache.LeaderDuringDelete {
					clear(out)
					continue
				}
				out[ps.Partition] = ps.Leader
			}
		}
	}
	return out
}

func (r *recorder) told(broker int32) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.sent[broker]) > 0
}

func (r *recorder) stopped(broker int32, topic string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, req := range r.sent[broker] {
		if sr, ok := req.(*kmsg.StopReplicaRequest); ok {
			for _, t := range sr.Topics {
				if t.Topic == topic && t.PartitionStates[0].Delete {
					return true
				}
			}
		}
	}
	return false
}

type cluster struct {
	t       *testing.T
	srv     *embedded.Server
	rec     *recorder
	clients map[int32]*kafkazk.Client
}

func newCluster(t *testing.T) *cluster {
	srv, err := embedded.New("", embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return &cluster{t: t, srv: srv, rec: &recorder{sent: map[int32][]kmsg.Request{}}, clients: map[int32]*kafkazk.Client{}}
}

// startBroker registers a broker and runs its controller candidate.
func (c *cluster) startBroker(id int32) *kafkazk.Client {
	return c.startBrokerWith(id, nil)
}

func (c *cluster) startBrokerWith(id int32, deleteEnable func() bool) *kafkazk.Client {
	sess, err := c.srv.Connect(6 * time.Second)
	if err != nil {
		c.t.Fatal(err)
	}
	zk := kafkazk.New(sess, slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithCancel(context.Background())
	if err := zk.EnsurePaths(ctx); err != nil {
		c.t.Fatal(err)
	}
	reg := kafkazk.Registration{ID: id, Endpoints: []metadatacache.Endpoint{{Listener: "PLAINTEXT", Host: "127.0.0.1", Port: 9000 + id}}}
	if err := zk.RegisterBroker(ctx, reg); err != nil {
		c.t.Fatal(err)
	}
	ctl := controller.New(controller.Config{BrokerID: id, Store: zk, Sender: c.rec, Logger: slog.New(slog.DiscardHandler),
		DeleteTopicEnable: deleteEnable})
	done := make(chan struct{})
	go func() { defer close(done); _ = ctl.Run(ctx) }()
	c.t.Cleanup(func() { cancel(); <-done })
	c.clients[id] = zk
	return zk
}

func (c *cluster) eventually(what string, cond func() error) {
	c.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("waiting for %s: %v", what, err)
		}
		time.Sleep(10 * time.Millisecond) // polling interval, not a wait for an event
	}
}

func TestControllerCreatesElectsAndDeletes(t *testing.T) {
	c := newCluster(t)
	zk1 := c.startBroker(1)
	c.startBroker(2)
	c.eventually("controller sees broker 2", func() error {
		if !c.rec.told(2) {
			return fmt.Errorf("broker 2 not told anything yet")
		}
		return nil
	})
	ctx := context.Background()
	if _, err := zk1.CreateTopic(ctx, kafkazk.TopicSpec{Name: "t", Assignment: map[int32][]int32{0: {1, 2}, 1: {2, 1}}}); err != nil {
		t.Fatal(err)
	}
	for _, broker := range []int32{1, 2} {
		c.eventually(fmt.Sprintf("broker %d learns leaders", broker), func() error {
			got := c.rec.leaders(broker, "t")
			if got[0] != 1 || got[1] != 2 {
				return fmt.Errorf("leaders = %v", got)
			}
			return nil
		})
	}

	if err := zk1.DeleteTopic(ctx, "t"); err != nil {
		t.Fatal(err)
	}
	c.eventually("topic deleted everywhere", func() error {
		if len(c.rec.leaders(1, "t")) != 0 || !c.rec.stopped(1, "t") || !c.rec.stopped(2, "t") {
			return fmt.Errorf("leaders %v, stopped %v %v", c.rec.leaders(1, "t"), c.rec.stopped(1, "t"), c.rec.stopped(2, "t"))
		}
		names, _, err := zk1.Topics(ctx)
		if err != nil || slices.Contains(names, "t") {
			return fmt.Errorf("topics %v %v", names, err)
		}
		return nil
	})
}

func TestControllerFailsOverAndMovesLeaders(t *testing.T) {
	c := newCluster(t)
	zk1 := c.startBroker(1)
	c.eventually("broker 1 is controller", func() error {
		if id, _, _ := zk1.Controller(context.Background()); id != 1 {
			return fmt.Errorf("controller %d", id)
		}
		return nil
	})
	zk2 := c.startBroker(2)
	// Until the controller has seen broker 2, a new partition's ISR would be
	// just broker 1 (followers join the ISR by replicating).
	c.eventually("controller sees broker 2", func() error {
		if !c.rec.told(2) {
			return fmt.Errorf("broker 2 not told anything yet")
		}
		return nil
	})
	ctx := context.Background()
	if _, err := zk2.CreateTopic(ctx, kafkazk.TopicSpec{Name: "t", Assignment: map[int32][]int32{0: {1, 2}}}); err != nil {
		t.Fatal(err)
	}
	c.eventually("leader 1", func() error {
		if got := c.rec.leaders(2, "t"); got[0] != 1 {
			return fmt.Errorf("leaders = %v", got)
		}
		return nil
	})
	epochBefore, _ := zk2.ControllerEpoch(ctx)
	if err := c.srv.ExpireSession(zk1.Store().SessionID()); err != nil {
		t.Fatal(err)
	}
	c.eventually("broker 2 controller with a higher epoch, leading the partition", func() error {
		id, _, _ := zk2.Controller(ctx)
		epoch, _ := zk2.ControllerEpoch(ctx)
		if id != 2 || epoch <= epochBefore {
			return fmt.Errorf("controller %d epoch %d (before %d)", id, epoch, epochBefore)
		}
		if got := c.rec.leaders(2, "t"); got[0] != 2 {
			return fmt.Errorf("leaders = %v", got)
		}
		return nil
	})
}

func TestControllerSkipsMalformedTopicUntilFixed(t *testing.T) {
	c := newCluster(t)
	zk1 := c.startBroker(1)
	ctx := context.Background()
	if _, err := zk1.Store().Create(ctx, "/brokers/topics/bad", []byte("{not json"), 0); err != nil {
		t.Fatal(err)
	}
	if _, err := zk1.CreateTopic(ctx, kafkazk.TopicSpec{Name: "good", Assignment: map[int32][]int32{0: {1}}}); err != nil {
		t.Fatal(err)
	}
	c.eventually("good topic gets a leader despite the bad one", func() error {
		if got := c.rec.leaders(1, "good"); got[0] != 1 {
			return fmt.Errorf("leaders = %v", got)
		}
		return nil
	})
	fixed := []byte(`{"version":3,"topic_id":"AAAAAAAAAAAAAAAAAAAAAQ","partitions":{"0":[1]},"adding_replicas":{},"removing_replicas":{}}`)
	if _, err := zk1.Store().Set(ctx, "/brokers/topics/bad", fixed, -1); err != nil {
		t.Fatal(err)
	}
	c.eventually("fixed topic gets a leader", func() error {
		if got := c.rec.leaders(1, "bad"); got[0] != 1 {
			return fmt.Errorf("leaders = %v", got)
		}
		return nil
	})
}

func TestControllerKeepsTopicWhenDeletionDisabled(t *testing.T) {
	c := newCluster(t)
	zk := c.startBrokerWith(1, func() bool { return false })
	ctx := context.Background()
	if _, err := zk.CreateTopic(ctx, kafkazk.TopicSpec{Name: "kept", Assignment: map[int32][]int32{0: {1}}}); err != nil {
		t.Fatal(err)
	}
	c.eventually("leader", func() error {
		if got := c.rec.leaders(1, "kept"); got[0] != 1 {
			return fmt.Errorf("leaders = %v", got)
		}
		return nil
	})
	if err := zk.DeleteTopic(ctx, "kept"); err != nil {
		t.Fatal(err)
	}
	c.eventually("deletion request dropped", func() error {
		pending, _, err := zk.TopicDeletions(ctx)
		if err != nil || len(pending) != 0 {
			return fmt.Errorf("pending %v err %v", pending, err)
		}
		return nil
	})
	names, _, err := zk.Topics(ctx)
	if err != nil || !slices.Contains(names, "kept") || c.rec.stopped(1, "kept") {
		t.Fatalf("topic gone (%v, %v) or replicas stopped (%v) with delete.topic.enable=false", names, err, c.rec.stopped(1, "kept"))
	}
}
