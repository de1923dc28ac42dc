package zkstore_test

import (
	"context"
	"errors"
	"io"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/zkstore"
	"github.com/kqhq/kq/store/meta/zktest"
)

func TestParseConnect(t *testing.T) {
	tests := []struct {
		in      string
		servers []string
		chroot  string
		bad     bool
	}{
		{in: "localhost:2181", servers: []string{"localhost:2181"}},
		{in: "zk1:2181,zk2:2182/kafka", servers: []string{"zk1:2181", "zk2:2182"}, chroot: "/kafka"},
		{in: " zk1 , zk2:3000 /a/b", servers: []string{"zk1:2181", "zk2:3000"}, chroot: "/a/b"},
		{in: "[::1]:2181,[::2]/", servers: []string{"[::1]:2181", "[::2]:2181"}},
		{in: "h:1/bad/", bad: true},
		{in: "/chroot-only", bad: true},
		{in: "", bad: true},
	}
	for _, tt := range tests {
		servers, chroot, err := zkstore.ParseConnect(tt.in)
		if tt.bad {
			if err == nil {
				t.Errorf("ParseConnect(%q) accepted", tt.in)
			}
			continue
		}
		if err != nil || chroot != tt.chroot || !equal(servers, tt.servers) {
			t.Errorf("ParseConnect(%q) = %v %q %v, want %v %q", tt.in, servers, chroot, err, tt.servers, tt.chroot)
		}
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestConnectTimeout(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0") // accepts, never answers
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	start := time.Now()
	_, err = zkstore.Connect(context.Background(), l.Addr().String(), 4*time.Second, 500*time.Millisecond, nil)
	if !errors.Is(err, meta.ErrConnectionLoss) {
		t.Fatalf("Connect to a silent server: %v", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("Connect took %s with a 500ms connection timeout", took)
	}
}

func TestChrootsAreIsolated(t *testing.T) {
	srv := zktest.Shared(t)
	root := srv.Chroot(t)
	a := connect(t, srv, root+"/a", 6*time.Second)
	b := connect(t, srv, root+"/b", 6*time.Second)
	whole := connect(t, srv, root, 6*time.Second)
	ctx := context.Background()
	if _, err := a.Create(ctx, "/x", []byte("a"), meta.Persistent); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := b.Exists(ctx, "/x"); ok {
		t.Fatal("chroot b sees chroot a's node")
	}
	if data, _, err := whole.Get(ctx, "/a/x"); err != nil || string(data) != "a" {
		t.Fatalf("parent chroot Get(/a/x) = %q, %v", data, err)
	}
	_, _, ch, err := a.ChildrenW(ctx, "/")
	if err != nil {
		t.Fatal(err)
	}
	p, err := a.Create(ctx, "/", nil, meta.PersistentSequential)
	if err != nil || p != "/0000000001" {
		t.Fatalf("sequential create at chroot root = %q, %v", p, err)
	}
	if ev := <-ch; ev.Type != meta.EventNodeChildrenChanged || ev.Path != "/" {
		t.Fatalf("event in chroot = %v, want NodeChildrenChanged /", ev)
	}
	if err := a.Delete(ctx, "/", -1); !errors.Is(err, meta.ErrBadArguments) {
		t.Fatalf("Delete of the chroot itself: %v", err)
	}
}

// A connection cut keeps the session: Disconnected, then Connected, and
// ephemeral nodes and watches survive.
func TestDisconnectKeepsSession(t *testing.T) {
	srv := zktest.Shared(t)
	root := srv.Chroot(t)
	s := connect(t, srv, root, 6*time.Second)
	other := connect(t, srv, root, 6*time.Second)
	ctx := context.Background()
	waitSession(t, s, meta.SessionConnected)
	if _, err := s.Create(ctx, "/eph", nil, meta.Ephemeral); err != nil {
		t.Fatal(err)
	}
	_, _, ch, err := s.ExistsW(ctx, "/later")
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Disconnect(s.SessionID()); err != nil {
		t.Fatal(err)
	}
	waitSession(t, s, meta.SessionDisconnected)
	waitSession(t, s, meta.SessionConnected)
	if _, ok, err := other.Exists(ctx, "/eph"); err != nil || !ok {
		t.Fatalf("ephemeral lost on reconnect: %v %v", ok, err)
	}
	if _, err := other.Create(ctx, "/later", nil, meta.Persistent); err != nil {
		t.Fatal(err)
	}
	if ev := <-ch; ev.Type != meta.EventNodeCreated {
		t.Fatalf("watch after reconnect got %v", ev)
	}
}

// A ZooKeeper restart within the session timeout keeps the session too.
// The timeout is long because a JVM restart on a loaded machine is slow,
// and the server counts the session's time from when it loads it.
func TestServerRestart(t *testing.T) {
	srv := zktest.Start(t)
	s := connect(t, srv, "/restart", 40*time.Second)
	ctx := context.Background()
	if _, err := s.Create(ctx, "/data", []byte("kept"), meta.Persistent); err != nil {
		t.Fatal(err)
	}
	waitSession(t, s, meta.SessionConnected)
	srv.Stop()
	waitSession(t, s, meta.SessionDisconnected)
	_, _, err := s.Get(ctx, "/data")
	if !errors.Is(err, meta.ErrConnectionLoss) {
		t.Logf("Get while ZooKeeper is down: %v", err) // may also be queued until reconnect
	}
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	waitSession(t, s, meta.SessionConnected)
	if data, _, err := s.Get(ctx, "/data"); err != nil || string(data) != "kept" {
		t.Fatalf("Get after restart = %q, %v", data, err)
	}
}

func waitSession(t *testing.T, s meta.Store, want meta.SessionEvent) {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		select {
		case ev, ok := <-s.Session():
			if !ok {
				t.Fatalf("session channel closed while waiting for %s", want)
			}
			if ev == want {
				return
			}
		case <-deadline:
			t.Fatalf("no %s session event", want)
		}
	}
}

// A server that accepts the connection but never answers the handshake
// must not hold the client for go-zookeeper's ten receive timeouts.
func TestSilentServerHandshake(t *testing.T) {
	srv := zktest.Shared(t)
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go swallow(silent)
	var dials atomic.Int32
	dialer := func(network, address string, timeout time.Duration) (net.Conn, error) {
		if dials.Add(1) == 1 {
			return net.DialTimeout(network, silent.Addr().String(), timeout)
		}
		return srv.Dial(network, address, timeout)
	}
	start := time.Now()
	s, err := zkstore.Connect(context.Background(), srv.ConnectString(srv.Chroot(t)), 2*time.Second,
		30*time.Second, testLogger(t), zkstore.WithDialer(dialer))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Unbounded, go-zookeeper would wait 10 x 2/3 x 2s = 13s on the silent one.
	if took := time.Since(start); took > 8*time.Second {
		t.Fatalf("Connect took %s past a silent server", took)
	}
	if dials.Load() < 2 {
		t.Fatalf("%d dials: never moved past the silent server", dials.Load())
	}
}

// swallow accepts connections and reads them, never answering.
func swallow(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			_, _ = io.Copy(io.Discard, c) // until the client gives up
		}()
	}
}
