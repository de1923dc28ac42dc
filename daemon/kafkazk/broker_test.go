package kafkazk

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kqhq/kq/store/meta/embedded"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A broker restarted right after a crash finds its registration held by
// its predecessor's session: it waits for that session to end and then
// registers, instead of refusing to start.
func TestRegisterBrokerWaitsForAStaleRegistration(t *testing.T) {
	srv, err := embedded.New("", embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()
	crashed := newClient(t, srv)
	if err := crashed.RegisterBroker(ctx, Registration{ID: 5}); err != nil {
		t.Fatal(err)
	}
	s, err := srv.Connect(6 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var logs syncBuffer
	restarted := New(s, slog.New(slog.NewTextHandler(&logs, nil)))
	done := make(chan error, 1)
	go func() { done <- restarted.RegisterBroker(ctx, Registration{ID: 5, StaleWait: time.Minute}) }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logs.String(), "waiting for it to expire") {
		select {
		case err := <-done:
			t.Fatalf("RegisterBroker returned %v before the old session ended", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("RegisterBroker never said it waits for the old registration")
		}
		time.Sleep(time.Millisecond) // polling the log, bounded by deadline
	}
	crashed.Store().Close() // the old session ends, as ZooKeeper expires it
	if err := <-done; err != nil {
		t.Fatalf("RegisterBroker after the old session ended: %v", err)
	}
	stat, ok, err := s.Exists(ctx, "/brokers/ids/5")
	if err != nil || !ok || stat.EphemeralOwner != s.SessionID() {
		t.Fatalf("registration owner 0x%x ok=%v err=%v, want this session 0x%x", stat.EphemeralOwner, ok, err, s.SessionID())
	}
}

// A registration still held by a live session after the wait is another
// broker with the same id: refused.
func TestRegisterBrokerRefusesALiveDuplicate(t *testing.T) {
	srv, err := embedded.New("", embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()
	if err := newClient(t, srv).RegisterBroker(ctx, Registration{ID: 5}); err != nil {
		t.Fatal(err)
	}
	err = newClient(t, srv).RegisterBroker(ctx, Registration{ID: 5, StaleWait: 100 * time.Millisecond})
	if !errors.Is(err, ErrBrokerIDInUse) {
		t.Fatalf("duplicate broker id: %v, want ErrBrokerIDInUse", err)
	}
}
