package server

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// blockingHandler holds the first connection's requests of the given
// correlation ids in Handle until release is closed.
func blockingHandler(release <-chan struct{}, hold ...int32) *fakeHandler {
	h := newFakeHandler()
	h.handle = func(_ context.Context, req *Request) (*Response, error) {
		if req.Conn.ID == 1 && slices.Contains(hold, req.CorrelationID) {
			<-release
		}
		return &Response{Msg: req.Body.ResponseKind()}, nil
	}
	return h
}

// startBlocking starts a server whose Handler holds the first connection's
// requests of the given correlation ids until the returned func is called
// (and at the end of the test, so a failure does not hang the shutdown).
func startBlocking(t *testing.T, cfg Config, hold ...int32) (*testServer, *fakeHandler, func()) {
	release := make(chan struct{})
	var once sync.Once
	unblock := func() { once.Do(func() { close(release) }) }
	h := blockingHandler(release, hold...)
	s := startServer(t, cfg, h)
	t.Cleanup(unblock) // runs before the server's shutdown
	return s, h, unblock
}

// TestReaderReadsWhileAnEarlierRequestIsHandled: the next requests are read
// and decoded while the Handler still runs an earlier one (a produce's
// append); they are handled and answered in order afterwards.
func TestReaderReadsWhileAnEarlierRequestIsHandled(t *testing.T) {
	s, h, unblock := startBlocking(t, Config{}, 1)
	c := dialClient(t, s.addr)
	for range 3 {
		c.send(metadataRequest(12))
	}
	metadata := s.metrics.api(3).requests
	waitFor(t, "the requests after a held one to be read", func() bool { return counterValue(metadata) == 3 })
	if got := h.handledIDs(); !slices.Equal(got, []int32{1}) {
		t.Fatalf("handled %v while request 1 is held, want [1]", got)
	}
	unblock()
	for want := int32(1); want <= 3; want++ {
		resp := kmsg.NewPtrMetadataResponse()
		resp.SetVersion(12)
		if got := c.recv(resp); got != want {
			t.Fatalf("response %d, want %d", got, want)
		}
	}
	if got := h.handledIDs(); !slices.Equal(got, []int32{1, 2, 3}) {
		t.Fatalf("handled %v, want [1 2 3]", got)
	}
}

// TestQueuedMaxRequestsIsBrokerWide: with one slot, a request read but
// not yet begun (behind one held in the Handler) keeps another
// connection's request from being handled until it begins, and all are
// answered then.
func TestQueuedMaxRequestsIsBrokerWide(t *testing.T) {
	s, h, unblock := startBlocking(t, Config{QueuedMaxRequests: 1}, 1)
	a := dialClient(t, s.addr)
	a.send(metadataRequest(12))
	waitFor(t, "the held request to reach the Handler", func() bool { return len(h.handledIDs()) == 1 })
	a.send(metadataRequest(12))
	waitFor(t, "the request behind it to take the slot", func() bool { return len(s.queued) == 1 })
	b := dialClient(t, s.addr)
	b.send(metadataRequest(12))
	metadata := s.metrics.api(3).requests
	waitFor(t, "the second connection's request to be read", func() bool { return counterValue(metadata) == 3 })
	if got := len(h.handledIDs()); got != 1 {
		t.Fatalf("%d requests handled with the one slot taken, want 1", got)
	}
	unblock()
	for _, c := range []*testClient{a, a, b} {
		resp := kmsg.NewPtrMetadataResponse()
		resp.SetVersion(12)
		c.recv(resp)
	}
	if got := len(h.handledIDs()); got != 3 {
		t.Fatalf("%d requests handled, want 3", got)
	}
}

func TestRequestSlots(t *testing.T) {
	s := newRequestSlots(1)
	done := make(chan struct{})
	if !s.acquire(done) {
		t.Fatal("the free slot was not taken")
	}
	close(done)
	if s.acquire(done) {
		t.Fatal("acquire took a slot none had free")
	}
	s.release()
	if !s.acquire(make(chan struct{})) {
		t.Fatal("a released slot was not taken")
	}
}
