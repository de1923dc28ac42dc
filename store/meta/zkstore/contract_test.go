package zkstore_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/metatest"
	"github.com/kqhq/kq/store/meta/zkstore"
	"github.com/kqhq/kq/store/meta/zktest"
)

func TestMain(m *testing.M) { zktest.Main(m) }

// backend is one chroot on the shared ZooKeeper.
type backend struct {
	srv    *zktest.Server
	chroot string
}

func (b backend) Connect(t *testing.T) meta.Store {
	return connect(t, b.srv, b.chroot, 6*time.Second)
}

func (b backend) Expire(t *testing.T, s meta.Store) {
	if err := b.srv.ExpireSession(s.SessionID()); err != nil {
		t.Fatal(err)
	}
}

func connect(t *testing.T, srv *zktest.Server, chroot string, sessionTimeout time.Duration) meta.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := zkstore.Connect(ctx, srv.ConnectString(chroot), sessionTimeout, 20*time.Second, testLogger(t),
		zkstore.WithDialer(srv.Dial))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestContract(t *testing.T) {
	srv := zktest.Shared(t)
	metatest.Run(t, func(t *testing.T) metatest.Backend {
		return backend{srv: srv, chroot: srv.Chroot(t)}
	})
}

// Without a chroot the store sees ZooKeeper's own /zookeeper node, so the
// contract runs in chroots; this checks the paths outside one.
func TestNoChroot(t *testing.T) {
	srv := zktest.Shared(t)
	s := connect(t, srv, "", 6*time.Second)
	ctx := context.Background()
	names, _, err := s.Children(ctx, "/")
	if err != nil || !contains(names, "zookeeper") {
		t.Fatalf("Children(/) = %v, %v", names, err)
	}
	dir := srv.Chroot(t) // used as a plain path here
	p, err := meta.CreateRecursive(ctx, s, dir+"/seq-", nil, meta.EphemeralSequential)
	if err != nil || p != dir+"/seq-0000000000" {
		t.Fatalf("Create = %q, %v", p, err)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// testLogger shows go-zookeeper's messages in the test's output (seen on
// failure or with -v), and drops those logged after the test ends.
func testLogger(t *testing.T) *slog.Logger {
	w := &testLogWriter{t: t}
	t.Cleanup(func() {
		w.mu.Lock()
		w.done = true
		w.mu.Unlock()
	})
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testLogWriter struct {
	mu   sync.Mutex
	t    *testing.T
	done bool
}

func (w *testLogWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Log(strings.TrimSpace(string(p)))
	}
	return len(p), nil
}
