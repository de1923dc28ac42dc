package server

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// TestThrottledResponseMutesTheConnection: a response with Throttle carries
// it as throttle_time_ms (a longer one the handler set stays), and the
// connection's next request is read only once the mute ends; another
// connection is never held up.
func TestThrottledResponseMutesTheConnection(t *testing.T) {
	cases := []struct {
		name      string
		throttle  time.Duration
		handlerMs int32
		wantMs    int32
	}{
		{"throttle written into the response", 300 * time.Millisecond, 0, 300},
		{"a longer handler throttle is kept", 300 * time.Millisecond, 500, 500},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			handledAt := map[[2]uint64]time.Time{}
			h := newFakeHandler()
			h.handle = func(_ context.Context, req *Request) (*Response, error) {
				mu.Lock()
				handledAt[[2]uint64{req.Conn.ID, uint64(req.CorrelationID)}] = time.Now()
				mu.Unlock()
				resp := req.Body.ResponseKind().(*kmsg.MetadataResponse)
				if req.CorrelationID != 1 {
					return &Response{Msg: resp}, nil
				}
				resp.ThrottleMillis = tc.handlerMs
				return &Response{Msg: resp, Throttle: tc.throttle}, nil
			}
			s := startServer(t, Config{}, h)
			c := dialClient(t, s.addr)
			c.send(metadataRequest(12))
			first := kmsg.NewPtrMetadataResponse()
			first.SetVersion(12)
			c.recv(first)
			answered := time.Now()
			if first.ThrottleMillis != tc.wantMs {
				t.Fatalf("throttle_time_ms %d, want %d", first.ThrottleMillis, tc.wantMs)
			}
			other := dialClient(t, s.addr) // an unthrottled connection
			other.send(metadataRequest(12))
			c.send(metadataRequest(12))
			resp := kmsg.NewPtrMetadataResponse()
			resp.SetVersion(12)
			other.recv(resp)
			c.recv(resp)
			mu.Lock()
			defer mu.Unlock()
			muted := handledAt[[2]uint64{1, 2}].Sub(answered)
			if muted < tc.throttle-50*time.Millisecond {
				t.Fatalf("second request handled %v after the throttled answer, want >= %v", muted, tc.throttle)
			}
			if wait := handledAt[[2]uint64{2, 1}].Sub(answered); wait >= tc.throttle {
				t.Fatalf("another connection waited %v behind the mute", wait)
			}
		})
	}
}

// TestShutdownEndsAMute: a drain does not wait out a long mute.
func TestShutdownEndsAMute(t *testing.T) {
	h := newFakeHandler()
	h.handle = func(_ context.Context, req *Request) (*Response, error) {
		return &Response{Msg: req.Body.ResponseKind(), Throttle: time.Hour}, nil
	}
	s := startServer(t, Config{}, h)
	c := dialClient(t, s.addr)
	c.send(metadataRequest(12))
	resp := kmsg.NewPtrMetadataResponse()
	resp.SetVersion(12)
	c.recv(resp)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown of a muted connection: %v", err)
	}
}
