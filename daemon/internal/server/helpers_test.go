package server

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// testTimeout bounds every wait in these tests; none of them sleeps.
const testTimeout = 10 * time.Second

// fakeHandler serves a fixed version table; handle, when set, answers
// requests, otherwise an empty response of the right kind is returned.
type fakeHandler struct {
	versions map[int16][2]int16
	handle   func(ctx context.Context, req *Request) (*Response, error)

	mu      sync.Mutex
	handled []int32 // correlation ids, in Handle order
}

func newFakeHandler() *fakeHandler {
	return &fakeHandler{versions: map[int16][2]int16{
		0:  {3, 11}, // Produce
		1:  {4, 16}, // Fetch
		3:  {0, 12}, // Metadata
		7:  {0, 3},  // ControlledShutdown
		18: {0, 4},  // ApiVersions
	}}
}

func (h *fakeHandler) Versions(key int16) (int16, int16, bool) {
	v, ok := h.versions[key]
	return v[0], v[1], ok
}

func (h *fakeHandler) Handle(ctx context.Context, req *Request) (*Response, error) {
	h.mu.Lock()
	h.handled = append(h.handled, req.CorrelationID)
	h.mu.Unlock()
	if h.handle != nil {
		return h.handle(ctx, req)
	}
	return &Response{Msg: req.Body.ResponseKind()}, nil
}

func (h *fakeHandler) handledIDs() []int32 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]int32(nil), h.handled...)
}

// testServer is a running Server on a loopback port with its own registry.
type testServer struct {
	*Server
	addr string
	reg  *prometheus.Registry
}

// startServer starts a server on 127.0.0.1:0; cleanup shuts it down.
func startServer(t testing.TB, cfg Config, h Handler) *testServer {
	t.Helper()
	reg := prometheus.NewRegistry()
	if len(cfg.Listeners) == 0 {
		cfg.Listeners = []Listener{{Name: "PLAINTEXT", Address: "127.0.0.1:0"}}
	}
	cfg.Metrics = reg
	if cfg.Logger == nil {
		cfg.Logger = testLogger()
	}
	s, err := New(cfg, h)
	if err != nil {
		t.Fatalf("new server: %v", err)
	}
	if err := s.Listen(); err != nil {
		t.Fatalf("listen: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		sctx, scancel := context.WithTimeout(context.Background(), testTimeout)
		defer scancel()
		if err := s.Shutdown(sctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		// A test over a pipe can end before Serve started: Serve after
		// Shutdown is ErrServerClosed by contract.
		if err := <-served; err != nil && !errors.Is(err, ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	})
	return &testServer{Server: s, addr: s.Addrs()[0].String(), reg: reg}
}

// testLogger logs at debug to stderr when KQ_TEST_LOG is set, else discards.
func testLogger() *slog.Logger {
	if os.Getenv("KQ_TEST_LOG") == "" {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// closedCount reads kq_server_connections_closed_total for a reason.
func (s *testServer) closedCount(kind reasonKind) float64 {
	return counterValue(s.metrics.closed.WithLabelValues(string(kind)))
}

func counterValue(c prometheus.Counter) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		return -1
	}
	return m.GetCounter().GetValue()
}

// waitFor polls cond until it holds or testTimeout passes.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(testTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond) // polling interval, not a wait for an event
	}
}

// testClient speaks the protocol over one connection, with kmsg encoding.
type testClient struct {
	t    testing.TB
	nc   net.Conn
	corr int32
	f    *kmsg.RequestFormatter
}

func dialClient(t testing.TB, addr string) *testClient {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, testTimeout)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { _ = nc.Close() })
	return newTestClient(t, nc)
}

func newTestClient(t testing.TB, nc net.Conn) *testClient {
	return &testClient{t: t, nc: nc, f: kmsg.NewRequestFormatter(kmsg.FormatterClientID("test-client"))}
}

// encodeRequest returns a framed request at the version set on req.
func (c *testClient) encodeRequest(req kmsg.Request) ([]byte, int32) {
	c.corr++
	return c.f.AppendRequest(nil, req, c.corr), c.corr
}

// send writes one request and returns its correlation id.
func (c *testClient) send(req kmsg.Request) int32 {
	c.t.Helper()
	frame, corr := c.encodeRequest(req)
	c.write(frame)
	return corr
}

func (c *testClient) write(b []byte) {
	c.t.Helper()
	if err := c.nc.SetWriteDeadline(time.Now().Add(testTimeout)); err != nil {
		c.t.Fatalf("set write deadline: %v", err)
	}
	if _, err := c.nc.Write(b); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// readFrame reads one response frame (without the size prefix).
func (c *testClient) readFrame() ([]byte, error) {
	if err := c.nc.SetReadDeadline(time.Now().Add(testTimeout)); err != nil {
		return nil, err
	}
	var prefix [4]byte
	if _, err := io.ReadFull(c.nc, prefix[:]); err != nil {
		return nil, err
	}
	frame := make([]byte, binary.BigEndian.Uint32(prefix[:]))
	_, err := io.ReadFull(c.nc, frame)
	return frame, err
}

// recv reads one response into resp (its version set) and returns the
// correlation id.
func (c *testClient) recv(resp kmsg.Response) int32 {
	c.t.Helper()
	frame, err := c.readFrame()
	if err != nil {
		c.t.Fatalf("read response: %v", err)
	}
	corr, err := decodeResponseFrame(frame, resp)
	if err != nil {
		c.t.Fatalf("decode response: %v", err)
	}
	return corr
}

// decodeResponseFrame decodes header and body, as a client would.
func decodeResponseFrame(frame []byte, resp kmsg.Response) (int32, error) {
	if len(frame) < 4 {
		return 0, fmt.Errorf("frame of %d bytes has no correlation id", len(frame))
	}
	corr := int32(binary.BigEndian.Uint32(frame))
	body := frame[4:]
	if resp.IsFlexible() && resp.Key() != apiVersionsKey {
		if len(body) == 0 || body[0] != 0 {
			return corr, errors.New("missing empty response header tags")
		}
		body = body[1:]
	}
	return corr, resp.ReadFrom(body)
}

// expectClosed asserts the server closes the connection (EOF or reset)
// without sending a response.
func (c *testClient) expectClosed() {
	c.t.Helper()
	frame, err := c.readFrame()
	if err == nil {
		c.t.Fatalf("got a %d-byte response, want the connection closed", len(frame))
	}
	if isTimeout(err) {
		c.t.Fatalf("connection still open after %v", testTimeout)
	}
}

// roundTrip checks the connection serves an ApiVersions v3 request.
func (c *testClient) roundTrip() {
	c.t.Helper()
	req := kmsg.NewPtrApiVersionsRequest()
	req.SetVersion(3)
	req.ClientSoftwareName, req.ClientSoftwareVersion = "kq-test", "1"
	corr := c.send(req)
	resp := req.ResponseKind()
	if got := c.recv(resp); got != corr {
		c.t.Fatalf("correlation id %d, want %d", got, corr)
	}
}

func metadataRequest(version int16) *kmsg.MetadataRequest {
	req := kmsg.NewPtrMetadataRequest()
	req.SetVersion(version)
	return req
}
