package kafkazk

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/kqhq/kq/daemon/internal/controller"
	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/embedded"
	"github.com/kqhq/kq/store/meta/znode"
)

func fires(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("no watch event for %s", what)
	}
}

func TestBrokerEpochChangesWithEachRegistration(t *testing.T) {
	srv, err := embedded.New("", embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()
	reader := newClient(t, srv)
	if _, err := reader.BrokerEpoch(ctx, 1); !errors.Is(err, meta.ErrNoNode) {
		t.Fatalf("unregistered: got %v", err)
	}
	reg := Registration{ID: 1, Endpoints: []metadatacache.Endpoint{{Listener: "PLAINTEXT", Host: "h", Port: 9092}}}
	first := newClient(t, srv)
	if err := first.RegisterBroker(ctx, reg); err != nil {
		t.Fatal(err)
	}
	e1, err := reader.BrokerEpoch(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := reader.Broker(ctx, 1); err != nil || b.ID != 1 || len(b.Endpoints) != 1 || b.Endpoints[0].Port != 9092 {
		t.Fatalf("Broker = %+v, %v", b, err)
	}
	first.Store().Close()
	second := newClient(t, srv)
	if err := second.RegisterBroker(ctx, reg); err != nil {
		t.Fatal(err)
	}
	if e2, err := reader.BrokerEpoch(ctx, 1); err != nil || e2 <= e1 {
		t.Fatalf("epoch after re-registration %d (%v), before %d", e2, err, e1)
	}
}

func TestPreferredReplicaElectionRequest(t *testing.T) {
	srv, err := embedded.New("", embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()
	c := newClient(t, srv)
	_, ok, ch, err := c.PreferredReplicaElection(ctx)
	if err != nil || ok {
		t.Fatalf("no request yet: ok %v err %v", ok, err)
	}
	want := []controller.TopicPartition{{Topic: "t", Partition: 0}, {Topic: "u", Partition: 3}}
	if err := c.RequestPreferredReplicaElection(ctx, want); err != nil {
		t.Fatal(err)
	}
	fires(t, ch, "the request's creation")
	if err := c.RequestPreferredReplicaElection(ctx, want); !errors.Is(err, meta.ErrNodeExists) {
		t.Fatalf("second request while one is pending: %v", err)
	}
	got, ok, ch, err := c.PreferredReplicaElection(ctx)
	if err != nil || !ok || !slices.Equal(got, want) {
		t.Fatalf("read back %v ok %v err %v", got, ok, err)
	}
	if err := c.DeletePreferredReplicaElection(ctx); err != nil {
		t.Fatal(err)
	}
	fires(t, ch, "the request's deletion")
	if err := c.DeletePreferredReplicaElection(ctx); err != nil {
		t.Fatalf("deleting a missing request: %v", err)
	}
	if _, err := c.Store().Create(ctx, preferredElectionPath, []byte(`{"version":1}`), meta.Persistent); err != nil {
		t.Fatal(err)
	}
	if _, ok, _, err := c.PreferredReplicaElection(ctx); !ok || !errors.Is(err, znode.ErrMalformed) {
		t.Fatalf("malformed request: ok %v err %v", ok, err)
	}
}
