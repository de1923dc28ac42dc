package server

import (
	"context"
	"slices"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// blockingHandler holds every request of the given correlation ids in
// Handle until release is closed.
func blockingHandler(release <-chan struct{}, hold ...int32) *fakeHandler {
	h := newFakeHandler()
	h.handle = func(_ context.Context, req *Request) (*Response, error) {
		if slices.Contains(hold, req.CorrelationID) {
			<-release
		}
		return &Response{Msg: req.Body.ResponseKind()}, nil
	}
	return h
}

// TestReaderReadsWhileAnEarlierRequestIsHandled: the next requests are read
// and decoded while the Handler still runs an earlier one (a produce's
// append); they are handled and answered in order afterwards.
func TestReaderReadsWhileAnEarlierRequestIsHandled(t *testing.T) {
	release := make(chan struct{})
	h := blockingHandler(release, 1)
	s := startServer(t, Config{}, h)
	c := dialClient(t, s.addr)
	for range 3 {
		c.send(metadataRequest(12))
	}
	metadata := s.metrics.api(3).requests
	waitFor(t, "the requests after a held one to be read", func() bool { return counterValue(metadata) == 3 })
	if got := h.handledIDs(); !slices.Equal(got, []int32{1}) {
		t.Fatalf("handled %v while request 1 is held, want [1]", got)
	}
	close(release)
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

// TestQueuedMaxRequestsIsBrokerWide: with one slot, a request held in the
// Handler keeps another connection's request from being handled until it
// returns, and both are answered then.
func TestQueuedMaxRequestsIsBrokerWide(t *testing.T) {
	release := make(chan struct{})
	h := blockingHandler(release, 1)
	s := startServer(t, Config{QueuedMaxRequests: 1}, h)
	a, b := dialClient(t, s.addr), dialClient(t, s.addr)
	a.send(metadataRequest(12))
	waitFor(t, "the held request to reach the Handler", func() bool { return len(h.handledIDs()) == 1 })
	b.send(metadataRequest(12))
	metadata := s.metrics.api(3).requests
	waitFor(t, "the second connection's request to be read", func() bool { return counterValue(metadata) == 2 })
	waitFor(t, "the second reader to wait for the slot", func() bool { return len(s.queued) == 1 })
	if got := len(h.handledIDs()); got != 1 {
		t.Fatalf("%d requests handled with one slot held, want 1", got)
	}
	close(release)
	for _, c := range []*testClient{a, b} {
		resp := kmsg.NewPtrMetadataResponse()
		resp.SetVersion(12)
		c.recv(resp)
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
