package zktest

import (
	"strings"
	"testing"
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
