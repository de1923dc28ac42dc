package zktest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/store/meta/zkstore"
)

func TestStartStopRestart(t *testing.T) {
	s := Start(t)
	if out, err := s.FourLetter("ruok"); err != nil || out != "imok" {
		t.Fatalf("ruok = %q, %v", out, err)
	}
	s.Stop()
	if _, err := s.FourLetter("ruok"); err == nil {
		t.Fatal("server answers after Stop")
	}
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	if out, err := s.FourLetter("srvr"); err != nil || !strings.Contains(out, "Mode: standalone") {
		t.Fatalf("srvr after Restart = %q, %v", out, err)
	}
}

func TestChrootAndConnectString(t *testing.T) {
	s := &Server{port: 2181}
	a, b := s.Chroot(t), s.Chroot(t)
	if a == b || !strings.HasPrefix(a, "/kqtest/TestChrootAndConnectString-") {
		t.Fatalf("chroots %q %q", a, b)
	}
	if got := s.ConnectString("/x"); got != "127.0.0.1:2181/x" {
		t.Fatalf("ConnectString = %q", got)
	}
	if got := s.ConnectString("/"); got != "127.0.0.1:2181" {
		t.Fatalf("ConnectString(/) = %q", got)
	}
}

func TestExpireUnknownSession(t *testing.T) {
	s := &Server{sessions: map[int64]*clientSession{}}
	if err := s.ExpireSession(42); err == nil {
		t.Fatal("expired a session it never saw")
	}
}

// An ensemble of three elects a leader, elects another among the two left
// when its leader dies, and takes the old leader back as a follower.
func TestEnsembleLeaderFailover(t *testing.T) {
	e := StartEnsemble(t, 3)
	leader, err := e.WaitQuorum(StartTimeout)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(e.ConnectString("/kq"), ","); got != 2 || !strings.HasSuffix(e.ConnectString("/kq"), "/kq") {
		t.Fatalf("ConnectString = %q", e.ConnectString("/kq"))
	}
	follower := (leader + 1) % 3
	store, err := zkstore.Connect(context.Background(), e.Servers[follower].Addr(), 10*time.Second, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if n := e.Servers[follower].Sessions(); n != 1 {
		t.Fatalf("member %d counts %d sessions, want the one connected to it", follower+1, n)
	}
	e.Servers[leader].Stop()
	next, err := e.WaitQuorum(StartTimeout)
	if err != nil {
		t.Fatal(err)
	}
	if next == leader {
		t.Fatalf("member %d still leads after it was stopped", leader+1)
	}
	if err := e.Servers[leader].Restart(); err != nil {
		t.Fatal(err)
	}
	if mode := e.Servers[leader].Mode(); mode != "follower" {
		t.Fatalf("the old leader came back as %q, want follower", mode)
	}
}
