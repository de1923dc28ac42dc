package kafkazk

import (
	"context"
	"slices"
	"testing"

	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/embedded"
	"github.com/kqhq/kq/store/meta/znode"
)

// Brokers write log dir events in Kafka's format; the controller lists
// them (each broker once, a malformed node listed but naming nobody), is
// woken by the next one, and deletes what it handled.
func TestLogDirEvents(t *testing.T) {
	srv, err := embedded.New("", embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()
	broker, ctrl := newClient(t, srv), newClient(t, srv)
	for _, id := range []int32{2, 3, 2} {
		if err := broker.NotifyLogDirEvent(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := broker.store.Create(ctx, znode.LogDirEventSeqPrefix, []byte("{"), meta.PersistentSequential); err != nil {
		t.Fatal(err)
	}
	names, brokers, ch, err := ctrl.LogDirEvents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 4 || !slices.Equal(brokers, []int32{2, 3}) {
		t.Fatalf("names %v brokers %v", names, brokers)
	}
	data, _, err := broker.store.Get(ctx, znode.LogDirEventNotificationPath+"/"+names[0])
	if err != nil || string(data) != `{"version":1,"broker":2,"event":1}` {
		t.Fatalf("node holds %s (%v)", data, err)
	}
	if err := ctrl.DeleteLogDirEvents(ctx, names); err != nil {
		t.Fatal(err)
	}
	fires(t, ch, "deleted notifications")
	if err := broker.NotifyLogDirEvent(ctx, 1); err != nil {
		t.Fatal(err)
	}
	names, brokers, _, err = ctrl.LogDirEvents(ctx)
	if err != nil || len(names) != 1 || !slices.Equal(brokers, []int32{1}) {
		t.Fatalf("after deletion: names %v brokers %v err %v", names, brokers, err)
	}
}
