package server

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// gatedHandler answers Metadata with a Ready the test controls and reports
// each Handle call.
func gatedHandler(gate <-chan struct{}) (*fakeHandler, <-chan context.Context) {
	h := newFakeHandler()
	handled := make(chan context.Context, MaxInFlightPerConn)
	h.handle = func(ctx context.Context, req *Request) (*Response, error) {
		resp := &Response{Msg: req.Body.ResponseKind()}
		if req.Key == 3 {
			resp.Ready = gate
			handled <- ctx
		}
		return resp, nil
	}
	return h, handled
}

func allDraining(s *testServer) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		if !c.draining.Load() {
			return false
		}
	}
	return true
}

// Shutdown writes the responses already owed, reads no new requests, and
// returns once the connections are closed.
func TestShutdownWaitsForInFlight(t *testing.T) {
	gate := make(chan struct{})
	h, handled := gatedHandler(gate)
	s := startServer(t, Config{}, h)
	c := dialClient(t, s.addr)
	corr := c.send(metadataRequest(12))
	<-handled

	done := make(chan error, 1)
	go func() { done <- s.Shutdown(context.Background()) }()
	waitFor(t, "connections draining", func() bool { return allDraining(s) })
	if _, err := net.Dial("tcp", s.addr); err == nil {
		t.Error("listener still accepts during shutdown")
	}
	c.send(metadataRequest(12)) // after the drain: must not be handled
	select {
	case err := <-done:
		t.Fatalf("shutdown returned (%v) while a response was owed", err)
	default:
	}
	close(gate)
	if got := c.recv(metadataRequest(12).ResponseKind()); got != corr {
		t.Fatalf("correlation id %d, want %d", got, corr)
	}
	c.expectClosed()
	if err := <-done; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if got := h.handledIDs(); len(got) != 1 {
		t.Errorf("handled %v, want only the request read before shutdown", got)
	}
	if n := s.closedCount(reasonShutdown); n != 1 {
		t.Errorf("shutdown closes counted %v, want 1", n)
	}
}

// When Shutdown's ctx ends first, connections are closed at once, the
// Handler's ctx is cancelled, and every response owed is released.
func TestShutdownTimeout(t *testing.T) {
	never := make(chan struct{})
	h := newFakeHandler()
	var released atomic.Int32
	handled := make(chan context.Context, MaxInFlightPerConn)
	h.handle = func(ctx context.Context, req *Request) (*Response, error) {
		handled <- ctx
		return &Response{Msg: req.Body.ResponseKind(), Ready: never, Release: func() { released.Add(1) }}, nil
	}
	s := startServer(t, Config{}, h)
	c := dialClient(t, s.addr)
	const owed = 3
	for range owed {
		c.send(metadataRequest(12))
	}
	handlerCtx := <-handled
	for range owed - 1 {
		<-handled
	}

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := s.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("shutdown: %v, want deadline exceeded", err)
	}
	c.expectClosed()
	if handlerCtx.Err() == nil {
		t.Error("handler ctx not cancelled by the forced close")
	}
	if n := s.closedCount(reasonShutdownTimeout); n != 1 {
		t.Errorf("shutdown_timeout closes %v, want 1", n)
	}
	if n := released.Load(); n != owed {
		t.Errorf("%d responses released, want %d", n, owed)
	}
}

// Cancelling Serve's ctx stops accepting but leaves open connections alone.
func TestServeStopsAcceptingOnCancel(t *testing.T) {
	cfg := Config{Listeners: []Listener{{Name: "PLAINTEXT", Address: "127.0.0.1:0"}}, Logger: testLogger()}
	s, err := New(cfg, newFakeHandler())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx) }() // Listens itself
	waitFor(t, "listening", func() bool { return len(s.Addrs()) == 1 })
	c := dialClient(t, s.Addrs()[0].String())
	c.roundTrip()
	cancel()
	if err := <-served; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if _, err := net.Dial("tcp", s.Addrs()[0].String()); err == nil {
		t.Error("still accepting after Serve returned")
	}
	c.roundTrip()
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	c.expectClosed()
	if err := s.Serve(context.Background()); !errors.Is(err, ErrServerClosed) {
		t.Errorf("serve after shutdown: %v, want ErrServerClosed", err)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	ok := []Listener{{Name: "PLAINTEXT", Address: "127.0.0.1:0"}}
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no listeners", Config{}, "no listeners"},
		{"unnamed listener", Config{Listeners: []Listener{{Address: "127.0.0.1:0"}}}, "name and address"},
		{"duplicate names", Config{Listeners: append(ok, ok...)}, "used twice"},
		{"negative max request", Config{Listeners: ok, MaxRequestSize: -1}, "negative"},
		{"negative max connections", Config{Listeners: ok, MaxConnections: -1}, "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg, newFakeHandler())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New: %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// A bind failure is reported by Listen and releases the listeners already bound.
func TestListenBindFailure(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	cfg := Config{Listeners: []Listener{
		{Name: "A", Address: "127.0.0.1:0"},
		{Name: "B", Address: taken.Addr().String()},
	}}
	s, err := New(cfg, newFakeHandler())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Listen(); err == nil || !strings.Contains(err.Error(), "listen B") {
		t.Fatalf("Listen: %v, want a bind error for B", err)
	}
	if n := len(s.Addrs()); n != 0 {
		t.Errorf("%d listeners left bound after the failure", n)
	}
}

// An idle connection is closed; one with a response owed is not, however long
// the response takes.
func TestIdleTimeout(t *testing.T) {
	const idle = 30 * time.Millisecond
	gate := make(chan struct{})
	h, handled := gatedHandler(gate)
	s := startServer(t, Config{IdleTimeout: idle}, h)

	quiet := dialClient(t, s.addr)
	quiet.expectClosed()
	waitFor(t, "idle close counted", func() bool { return s.closedCount(reasonIdle) == 1 })

	busy := dialClient(t, s.addr)
	corr := busy.send(metadataRequest(12))
	<-handled
	time.AfterFunc(5*idle, func() { close(gate) }) // the response takes several idle periods
	if got := busy.recv(metadataRequest(12).ResponseKind()); got != corr {
		t.Fatalf("correlation id %d, want %d", got, corr)
	}
	busy.expectClosed() // and then it is idle
}

// At MaxConnections, a further connection waits to be accepted until one closes.
func TestMaxConnections(t *testing.T) {
	s := startServer(t, Config{MaxConnections: 1}, newFakeHandler())
	first := dialClient(t, s.addr)
	first.roundTrip()
	second := dialClient(t, s.addr) // completes in the kernel's backlog
	req := kmsg.NewPtrApiVersionsRequest()
	req.SetVersion(3)
	second.send(req)
	first.roundTrip()
	if n := counterValue(s.metrics.accepted.WithLabelValues("PLAINTEXT")); n != 1 {
		t.Fatalf("accepted %v connections, want 1 while the first is open", n)
	}
	if err := first.nc.Close(); err != nil {
		t.Fatal(err)
	}
	second.recv(req.ResponseKind())
}
