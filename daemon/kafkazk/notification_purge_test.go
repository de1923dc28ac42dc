package kafkazk

import (
	"context"
	"testing"
	"time"

	"github.com/kqhq/kq/store/meta/embedded"
)

// TestNotificationsPurgedAfterExpiry: change notifications older than
// NotificationExpiry are deleted when the list is processed, younger ones
// stay, as Kafka's ZkNodeChangeNotificationListener does.
func TestNotificationsPurgedAfterExpiry(t *testing.T) {
	srv, err := embedded.New("", embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c, ctx := newClient(t, srv), context.Background()
	for _, topic := range []string{"a", "b", "c"} {
		if err := c.SetEntityConfig(ctx, "topics", topic, map[string]string{"retention.ms": "1000"}); err != nil {
			t.Fatal(err)
		}
	}
	count := func() int {
		t.Helper()
		names, _, err := c.store.Children(ctx, configChangesPath)
		if err != nil {
			t.Fatal(err)
		}
		return len(names)
	}
	// Processing the list now keeps every notification: all are fresh.
	changes, _, _, err := c.ConfigChanges(ctx, "")
	if err != nil || len(changes) != 3 || count() != 3 {
		t.Fatalf("changes %v, %v; %d notifications left, want 3", changes, err, count())
	}
	names, _, err := c.store.Children(ctx, configChangesPath)
	if err != nil {
		t.Fatal(err)
	}
	c.purgeNotifications(ctx, configChangesPath, names, time.Now().Add(NotificationExpiry-time.Minute))
	if n := count(); n != 3 {
		t.Fatalf("%d notifications left before the expiry, want 3", n)
	}
	c.purgeNotifications(ctx, configChangesPath, names, time.Now().Add(NotificationExpiry+time.Minute))
	if n := count(); n != 0 {
		t.Fatalf("%d notifications left after the expiry, want 0", n)
	}
	// A second purge over names already gone is quiet.
	c.purgeNotifications(ctx, configChangesPath, names, time.Now().Add(NotificationExpiry+time.Minute))
}
