package server

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// An earlier response that becomes ready last still goes out first, Msg is
// read only once Ready closes, and Handle sees requests in order.
func TestPipelinedResponsesInOrder(t *testing.T) {
	h := newFakeHandler()
	first := make(chan struct{})
	var firstResp *kmsg.MetadataResponse
	allHandled := make(chan struct{})
	h.handle = func(_ context.Context, req *Request) (*Response, error) {
		resp := req.Body.ResponseKind().(*kmsg.MetadataResponse)
		switch req.CorrelationID {
		case 1:
			firstResp = resp
			return &Response{Msg: resp, Ready: first}, nil
		case 3:
			close(allHandled)
		}
		ready := make(chan struct{})
		close(ready)
		return &Response{Msg: resp, Ready: ready}, nil
	}
	s := startServer(t, Config{}, h)
	c := dialClient(t, s.addr)
	for range 3 {
		c.send(metadataRequest(12))
	}
	<-allHandled
	firstResp.ClusterID = kmsg.StringPtr("filled-after-handle")
	close(first)

	for want := int32(1); want <= 3; want++ {
		resp := metadataRequest(12).ResponseKind().(*kmsg.MetadataResponse)
		if got := c.recv(resp); got != want {
			t.Fatalf("response %d has correlation id %d", want, got)
		}
		if want == 1 && (resp.ClusterID == nil || *resp.ClusterID != "filled-after-handle") {
			t.Errorf("first response's ClusterID = %v, want the value set before Ready closed", resp.ClusterID)
		}
	}
	if got := h.handledIDs(); !slices.Equal(got, []int32{1, 2, 3}) {
		t.Errorf("Handle order %v, want [1 2 3]", got)
	}
}

// A nil Msg (acks=0 produce) sends nothing: the next frame on the wire is the
// next request's response.
func TestNilMsgSendsNothing(t *testing.T) {
	h := newFakeHandler()
	released := make(chan struct{})
	h.handle = func(_ context.Context, req *Request) (*Response, error) {
		if req.Key == 0 {
			return &Response{Release: func() { close(released) }}, nil
		}
		return &Response{Msg: req.Body.ResponseKind()}, nil
	}
	s := startServer(t, Config{}, h)
	c := dialClient(t, s.addr)
	produce := kmsg.NewPtrProduceRequest()
	produce.SetVersion(9)
	produce.Acks = 0
	c.send(produce)
	meta := metadataRequest(9)
	corr := c.send(meta)
	if got := c.recv(meta.ResponseKind()); got != corr {
		t.Fatalf("first response has correlation id %d, want %d (the metadata request's)", got, corr)
	}
	<-released
}

// ApiVersions of an unserved version gets Kafka's v0 UNSUPPORTED_VERSION answer
// with the whole ApiKeys list; served versions use response header v0 even
// when flexible; other APIs' flexible versions carry header tags.
func TestApiVersionsAnswers(t *testing.T) {
	h := newFakeHandler()
	s := startServer(t, Config{}, h)
	c := dialClient(t, s.addr)

	req := kmsg.NewPtrApiVersionsRequest()
	req.SetVersion(99)
	corr := c.send(req)
	resp := kmsg.NewPtrApiVersionsResponse() // version 0
	if got := c.recv(resp); got != corr {
		t.Fatalf("correlation id %d, want %d", got, corr)
	}
	if resp.ErrorCode != kerr.UnsupportedVersion.Code {
		t.Errorf("error code %d, want %d", resp.ErrorCode, kerr.UnsupportedVersion.Code)
	}
	var keys []int16
	for _, k := range resp.ApiKeys {
		keys = append(keys, k.ApiKey)
		if v := h.versions[k.ApiKey]; v != [2]int16{k.MinVersion, k.MaxVersion} {
			t.Errorf("key %d: v%d-v%d, want v%d-v%d", k.ApiKey, k.MinVersion, k.MaxVersion, v[0], v[1])
		}
	}
	if !slices.Equal(keys, []int16{0, 1, 3, 7, 18}) {
		t.Errorf("ApiKeys %v, want [0 1 3 7 18]", keys)
	}
	if len(h.handledIDs()) != 0 {
		t.Errorf("handler saw %v; the server answers unsupported ApiVersions itself", h.handledIDs())
	}
	c.roundTrip() // v3: flexible, header v0
	for _, v := range []int16{0, 8, 9, 12} {
		meta := metadataRequest(v)
		corr := c.send(meta)
		if got := c.recv(meta.ResponseKind()); got != corr {
			t.Fatalf("metadata v%d: correlation id %d, want %d", v, got, corr)
		}
	}
}

// A handler error or panic closes that connection only.
func TestHandlerFailureClosesConnection(t *testing.T) {
	tests := []struct {
		name   string
		fail   func()
		reason reasonKind
	}{
		{"error", func() {}, reasonHandlerError},
		{"panic", func() { panic("boom") }, reasonHandlerPanic},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newFakeHandler()
			h.handle = func(_ context.Context, req *Request) (*Response, error) {
				if req.Key == 3 {
					tt.fail()
					return nil, errors.New("refused")
				}
				return &Response{Msg: req.Body.ResponseKind()}, nil
			}
			s := startServer(t, Config{}, h)
			other := dialClient(t, s.addr)
			other.roundTrip()
			c := dialClient(t, s.addr)
			c.send(metadataRequest(12))
			c.expectClosed()
			other.roundTrip()
			waitFor(t, "close counted", func() bool { return s.closedCount(tt.reason) == 1 })
		})
	}
}

// The Handler's ctx ends when its connection closes.
func TestHandlerContextEndsWithConnection(t *testing.T) {
	h := newFakeHandler()
	ctxs := make(chan context.Context, 1)
	h.handle = func(ctx context.Context, req *Request) (*Response, error) {
		ctxs <- ctx
		ready := make(chan struct{})
		go func() {
			<-ctx.Done()
			close(ready)
		}()
		return &Response{Msg: req.Body.ResponseKind(), Ready: ready}, nil
	}
	s := startServer(t, Config{}, h)
	c := dialClient(t, s.addr)
	c.send(metadataRequest(1))
	ctx := <-ctxs
	if err := ctx.Err(); err != nil {
		t.Fatalf("ctx ended while the connection is open: %v", err)
	}
	if err := c.nc.Close(); err != nil {
		t.Fatal(err)
	}
	// The client's FIN means no request follows: the handler's waits are
	// told to end (a long poll then answers at once), without a shutdown.
	select {
	case <-ctx.Done():
	case <-time.After(testTimeout):
		t.Fatal("handler ctx still open after the client closed")
	}
}

// A long poll that ends with its ctx (as Fetch's does) must not hold up a
// graceful shutdown: draining ends the connection's waits.
func TestShutdownEndsLongPolls(t *testing.T) {
	h := newFakeHandler()
	started := make(chan struct{}, 1)
	h.handle = func(ctx context.Context, req *Request) (*Response, error) {
		ready := make(chan struct{})
		go func() {
			<-ctx.Done()
			close(ready)
		}()
		started <- struct{}{}
		return &Response{Msg: req.Body.ResponseKind(), Ready: ready}, nil
	}
	s := startServer(t, Config{}, h)
	c := dialClient(t, s.addr)
	c.send(metadataRequest(1))
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatalf("graceful shutdown: %v (a pending long poll held it up)", err)
	}
}
