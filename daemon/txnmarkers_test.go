package daemon

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/daemon/internal/txn"
)

// markerCluster is a metadata cache and a scripted set of leaders: each
// WriteTxnMarkers is answered by answer(broker, topic, partition).
type markerCluster struct {
	cache  *metadatacache.Cache
	mu     sync.Mutex
	sent   []markerSend
	answer func(broker int32, topic string, partition int32) int16
}

type markerSend struct {
	broker int32
	req    *kmsg.WriteTxnMarkersRequest
}

func newMarkerCluster(t *testing.T, leaders map[txn.TopicPartition]int32) *markerCluster {
	t.Helper()
	c := &markerCluster{cache: metadatacache.New("c")}
	c.setLeaders(t, leaders)
	return c
}

func (c *markerCluster) setLeaders(t *testing.T, leaders map[txn.TopicPartition]int32) {
	t.Helper()
	byTopic := map[string][]metadatacache.Partition{}
	for tp, l := range leaders {
		byTopic[tp.Topic] = append(byTopic[tp.Topic], metadatacache.Partition{Partition: tp.Partition, Leader: l, Replicas: []int32{1, 2, 3}, ISR: []int32{1, 2, 3}})
	}
	u := metadatacache.Update{ControllerID: 1, ControllerEpoch: 1, Brokers: []metadatacache.Broker{{ID: 1}, {ID: 2}, {ID: 3}}}
	for topic, parts := range byTopic {
		slices.SortFunc(parts, func(a, b metadatacache.Partition) int { return int(a.Partition - b.Partition) })
		u.Topics = append(u.Topics, metadatacache.TopicUpdate{Name: topic, ID: [16]byte{byte(len(topic))}, Partitions: parts})
	}
	if err := c.cache.Apply(u); err != nil {
		t.Fatal(err)
	}
}

func (c *markerCluster) send(_ context.Context, broker int32, req kmsg.Request) (kmsg.Response, error) {
	r := req.(*kmsg.WriteTxnMarkersRequest)
	c.mu.Lock()
	c.sent = append(c.sent, markerSend{broker, r})
	answer := c.answer
	c.mu.Unlock()
	resp := kmsg.NewPtrWriteTxnMarkersResponse()
	for _, m := range r.Markers {
		rm := kmsg.NewWriteTxnMarkersResponseMarker()
		rm.ProducerID = m.ProducerID
		for _, t := range m.Topics {
			rt := kmsg.NewWriteTxnMarkersResponseMarkerTopic()
			rt.Topic = t.Topic
			for _, p := range t.Partitions {
				rp := kmsg.NewWriteTxnMarkersResponseMarkerTopicPartition()
				rp.Partition, rp.ErrorCode = p, answer(broker, t.Topic, p)
				rt.Partitions = append(rt.Partitions, rp)
			}
			rm.Topics = append(rm.Topics, rt)
		}
		resp.Markers = append(resp.Markers, rm)
	}
	return resp, nil
}

func (c *markerCluster) writer() *markerWriter {
	return &markerWriter{cache: c.cache, send: c.send, log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		requestTimeout: time.Second, backoff: time.Millisecond, maxBackoff: 5 * time.Millisecond}
}

func (c *markerCluster) sends() []markerSend {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.sent)
}

// writeMarkers runs one job and waits for done, failing the test after a
// deadline.
func writeMarkers(t *testing.T, w *markerWriter, ctx context.Context, m txn.Markers) error {
	t.Helper()
	done := make(chan error, 1)
	w.WriteMarkers(ctx, m, func(err error) { done <- err })
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("marker job did not finish")
		return nil
	}
}

var (
	tpA0 = txn.TopicPartition{Topic: "a", Partition: 0}
	tpA1 = txn.TopicPartition{Topic: "a", Partition: 1}
	tpB0 = txn.TopicPartition{Topic: "b", Partition: 0}
)

func TestMarkerWriterGroupsByLeaderAndCarriesTheMarker(t *testing.T) {
	c := newMarkerCluster(t, map[txn.TopicPartition]int32{tpA0: 1, tpA1: 2, tpB0: 1})
	c.answer = func(int32, string, int32) int16 { return 0 }
	m := txn.Markers{TransactionalID: "t", ProducerID: 7, ProducerEpoch: 3, CoordinatorEpoch: 5, Commit: true,
		Partitions: []txn.TopicPartition{tpA0, tpA1, tpB0}}
	if err := writeMarkers(t, c.writer(), context.Background(), m); err != nil {
		t.Fatalf("done: %v", err)
	}
	got := map[int32][]txn.TopicPartition{}
	for _, s := range c.sends() {
		mk := s.req.Markers[0]
		if mk.ProducerID != 7 || mk.ProducerEpoch != 3 || mk.CoordinatorEpoch != 5 || !mk.Committed {
			t.Errorf("marker to %d: %+v", s.broker, mk)
		}
		for _, tt := range mk.Topics {
			for _, p := range tt.Partitions {
				got[s.broker] = append(got[s.broker], txn.TopicPartition{Topic: tt.Topic, Partition: p})
			}
		}
	}
	if len(c.sends()) != 2 || len(got[1]) != 2 || len(got[2]) != 1 || got[2][0] != tpA1 {
		t.Errorf("sent %v, want a-0 and b-0 to broker 1, a-1 to broker 2", got)
	}
}

func TestMarkerWriterRetriesAndFollowsTheNewLeader(t *testing.T) {
	c := newMarkerCluster(t, map[txn.TopicPartition]int32{tpA0: 1})
	var once sync.Once
	c.answer = func(broker int32, _ string, _ int32) int16 {
		if broker == 1 {
			once.Do(func() { c.setLeaders(t, map[txn.TopicPartition]int32{tpA0: 2}) })
			return kerr.NotLeaderForPartition.Code
		}
		return 0
	}
	m := txn.Markers{ProducerID: 1, Partitions: []txn.TopicPartition{tpA0}}
	if err := writeMarkers(t, c.writer(), context.Background(), m); err != nil {
		t.Fatalf("done: %v", err)
	}
	sends := c.sends()
	if len(sends) != 2 || sends[0].broker != 1 || sends[1].broker != 2 {
		t.Errorf("sends to %v, want broker 1 then the new leader 2", sends)
	}
}

func TestMarkerWriterEndings(t *testing.T) {
	for _, tc := range []struct {
		name      string
		code      int16
		wantErr   bool
		cancelled bool
	}{
		{name: "fenced coordinator abandons", code: kerr.TransactionCoordinatorFenced.Code, wantErr: true},
		{name: "older producer epoch abandons", code: kerr.InvalidProducerEpoch.Code, wantErr: true},
		{name: "retriable until the context ends", code: kerr.NotEnoughReplicas.Code, wantErr: true, cancelled: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newMarkerCluster(t, map[txn.TopicPartition]int32{tpA0: 1})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			answers := 0
			c.answer = func(int32, string, int32) int16 {
				// The coordinator loses the partition after a few tries.
				if answers++; tc.cancelled && answers == 3 {
					cancel()
				}
				return tc.code
			}
			err := writeMarkers(t, c.writer(), ctx, txn.Markers{ProducerID: 1, Partitions: []txn.TopicPartition{tpA0}})
			if (err != nil) != tc.wantErr {
				t.Fatalf("done(%v), want error %v", err, tc.wantErr)
			}
			if !tc.cancelled && !errors.Is(err, errMarkersFenced) {
				t.Errorf("done(%v), want errMarkersFenced", err)
			}
			if tc.cancelled && len(c.sends()) < 3 {
				t.Errorf("%d sends before the context ended, want retries", len(c.sends()))
			}
		})
	}
}

func TestMarkerWriterDropsDeletedPartitions(t *testing.T) {
	c := newMarkerCluster(t, map[txn.TopicPartition]int32{tpA0: 1})
	c.answer = func(int32, string, int32) int16 { return 0 }
	gone := txn.TopicPartition{Topic: "deleted", Partition: 0}
	err := writeMarkers(t, c.writer(), context.Background(), txn.Markers{ProducerID: 1, Partitions: []txn.TopicPartition{tpA0, gone}})
	if err != nil {
		t.Fatalf("done: %v", err)
	}
	for _, s := range c.sends() {
		for _, tt := range s.req.Markers[0].Topics {
			if tt.Topic == "deleted" {
				t.Errorf("a marker was sent for a topic the metadata no longer has")
			}
		}
	}
}
