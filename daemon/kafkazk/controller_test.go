package kafkazk

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/kqhq/kq/daemon/internal/controller"
	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/embedded"
)

func newClient(t *testing.T, srv *embedded.Server) *Client {
	t.Helper()
	s, err := srv.Connect(6 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	c := New(s, slog.New(slog.DiscardHandler))
	if err := c.EnsurePaths(context.Background()); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDeposedControllerCannotWriteState(t *testing.T) {
	srv, err := embedded.New("", embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()
	old := newClient(t, srv)
	won, epoch, _, err := old.Elect(ctx, 1)
	if err != nil || !won || epoch != 1 {
		t.Fatalf("Elect = %v %d %v", won, epoch, err)
	}
	s, err := old.CreatePartitionState(ctx, "t", 0, controller.PartitionState{Leader: 1, ISR: []int32{1}, ControllerEpoch: 1})
	if err != nil {
		t.Fatal(err)
	}

	// A newer controller bumps the epoch (the old one has not noticed yet).
	newer := newClient(t, srv)
	if _, _, err := newer.bumpControllerEpoch(ctx); err != nil {
		t.Fatal(err)
	}
	s.LeaderEpoch++
	if _, err := old.UpdatePartitionState(ctx, "t", 0, s); !errors.Is(err, meta.ErrBadVersion) {
		t.Fatalf("deposed controller's write: err = %v, want ErrBadVersion from the epoch check", err)
	}
	if _, err := old.CreatePartitionState(ctx, "t", 1, s); !errors.Is(err, meta.ErrBadVersion) {
		t.Fatalf("deposed controller's create: err = %v, want ErrBadVersion", err)
	}
}
