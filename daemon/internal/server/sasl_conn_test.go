package server

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/sasl"
)

// saslHandler is a fakeHandler that also serves the SASL keys and records
// the principal of every request but ApiVersions it sees.
type saslHandler struct {
	*fakeHandler
	mu         sync.Mutex
	principals []string
}

func newSASLHandler() *saslHandler {
	h := &saslHandler{fakeHandler: newFakeHandler()}
	h.versions[saslHandshakeKey] = [2]int16{0, 1}
	h.versions[saslAuthenticateKey] = [2]int16{0, 2}
	h.handle = func(ctx context.Context, req *Request) (*Response, error) {
		if req.Key != apiVersionsKey { // served before authentication, as in Kafka
			h.mu.Lock()
			h.principals = append(h.principals, req.Conn.Principal)
			h.mu.Unlock()
		}
		return &Response{Msg: req.Body.ResponseKind()}, nil
	}
	return h
}

func (h *saslHandler) seen() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.principals...)
}

func startSASLServer(t *testing.T, cfg Config, maxReauth time.Duration) (*testServer, *saslHandler) {
	t.Helper()
	lis := &sasl.Listener{
		Mechanisms: []string{sasl.Plain},
		PlainUsers: sasl.PlainUsers{"alice": "alice-secret", "bob": "bob-secret"},
		MaxReauth:  map[string]time.Duration{sasl.Plain: maxReauth},
	}
	cfg.Listeners = []Listener{{Name: "SASL_PLAINTEXT", Address: "127.0.0.1:0", SecurityProtocol: ProtocolSASLPlaintext, SASL: lis}}
	h := newSASLHandler()
	return startServer(t, cfg, h), h
}

func handshake(c *testClient, version int16, mechanism string) *kmsg.SASLHandshakeResponse {
	c.t.Helper()
	req := kmsg.NewPtrSASLHandshakeRequest()
	req.SetVersion(version)
	req.Mechanism = mechanism
	c.send(req)
	resp := req.ResponseKind().(*kmsg.SASLHandshakeResponse)
	c.recv(resp)
	return resp
}

func authenticate(c *testClient, version int16, token string) *kmsg.SASLAuthenticateResponse {
	c.t.Helper()
	req := kmsg.NewPtrSASLAuthenticateRequest()
	req.SetVersion(version)
	req.SASLAuthBytes = []byte(token)
	c.send(req)
	resp := req.ResponseKind().(*kmsg.SASLAuthenticateResponse)
	c.recv(resp)
	return resp
}

func plainLogin(c *testClient, user, password string) *kmsg.SASLAuthenticateResponse {
	c.t.Helper()
	if hs := handshake(c, 1, sasl.Plain); hs.ErrorCode != 0 {
		c.t.Fatalf("handshake error %d", hs.ErrorCode)
	}
	return authenticate(c, 2, "\x00"+user+"\x00"+password)
}

func TestSASLPlainLogin(t *testing.T) {
	s, h := startSASLServer(t, Config{}, 0)
	c := dialClient(t, s.addr)
	c.roundTrip() // ApiVersions before the handshake, as clients do
	if resp := plainLogin(c, "alice", "alice-secret"); resp.ErrorCode != 0 || resp.SessionLifetimeMillis != 0 {
		t.Fatalf("authenticate: %+v", resp)
	}
	c.send(metadataRequest(12))
	c.recv(metadataRequest(12).ResponseKind())
	if got := h.seen(); len(got) != 1 || got[0] != "User:alice" {
		t.Fatalf("handler saw principals %v", got)
	}
	if n := counterValue(s.metrics.auth.WithLabelValues("SASL_PLAINTEXT", "PLAIN", "authentication", "success")); n != 1 {
		t.Fatalf("successful authentications %v", n)
	}
}

// TestSASLRefusals: each bad exchange is answered with Kafka's error or
// closed, and the Handler never sees a request.
func TestSASLRefusals(t *testing.T) {
	tests := []struct {
		name string
		run  func(c *testClient)
	}{
		{"request before authentication", func(c *testClient) { c.send(metadataRequest(12)); c.expectClosed() }},
		{"produce before authentication", func(c *testClient) {
			req := kmsg.NewPtrProduceRequest()
			req.SetVersion(9)
			c.send(req)
			c.expectClosed()
		}},
		{"authenticate without handshake", func(c *testClient) {
			req := kmsg.NewPtrSASLAuthenticateRequest()
			req.SetVersion(2)
			req.SASLAuthBytes = []byte("\x00alice\x00alice-secret")
			c.send(req)
			c.expectClosed()
		}},
		{"ApiVersions twice", func(c *testClient) { c.roundTrip(); c.roundTrip0(); c.expectClosed() }},
		{"request between handshake and token", func(c *testClient) {
			handshake(c, 1, sasl.Plain)
			c.send(metadataRequest(12))
			c.expectClosed()
		}},
		{"unsupported mechanism", func(c *testClient) {
			resp := handshake(c, 1, "GSSAPI")
			if resp.ErrorCode != kerr.UnsupportedSaslMechanism.Code || strings.Join(resp.SupportedMechanisms, ",") != "PLAIN" {
				t.Fatalf("handshake: %+v", resp)
			}
			c.expectClosed()
		}},
		{"wrong password", func(c *testClient) {
			resp := plainLogin(c, "alice", "wrong")
			if resp.ErrorCode != kerr.SaslAuthenticationFailed.Code || resp.ErrorMessage == nil ||
				*resp.ErrorMessage != "Authentication failed: Invalid username or password" {
				t.Fatalf("authenticate: %+v", resp)
			}
			c.expectClosed()
		}},
		{"malformed PLAIN token", func(c *testClient) {
			handshake(c, 1, sasl.Plain)
			resp := authenticate(c, 2, "garbage")
			if resp.ErrorMessage == nil || *resp.ErrorMessage != "Authentication failed during authentication due to invalid credentials with SASL mechanism PLAIN" {
				t.Fatalf("authenticate: %+v", resp)
			}
			c.expectClosed()
		}},
		{"oversized frame", func(c *testClient) {
			c.write([]byte{0, 0x10, 0, 0}) // 1 MiB claimed, over sasl.server.max.receive.size
			c.expectClosed()
		}},
		{"garbage header", func(c *testClient) { c.write([]byte{0, 0, 0, 2, 0xff, 0xff}); c.expectClosed() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, h := startSASLServer(t, Config{}, 0)
			c := dialClient(t, s.addr)
			tt.run(c)
			if got := h.seen(); len(got) != 0 {
				t.Fatalf("handler saw %v", got)
			}
			// The broker goes on serving others.
			other := dialClient(t, s.addr)
			if resp := plainLogin(other, "bob", "bob-secret"); resp.ErrorCode != 0 {
				t.Fatalf("other client: %+v", resp)
			}
		})
	}
}

// roundTrip0 sends ApiVersions without reading an answer.
func (c *testClient) roundTrip0() {
	req := kmsg.NewPtrApiVersionsRequest()
	req.SetVersion(3)
	c.send(req)
}

// TestSASLHandshakeV0RawTokens: after a v0 handshake, tokens are bare
// size-prefixed frames, as Kafka 0.10 clients send them.
func TestSASLHandshakeV0RawTokens(t *testing.T) {
	s, h := startSASLServer(t, Config{}, 0)
	c := dialClient(t, s.addr)
	if resp := handshake(c, 0, sasl.Plain); resp.ErrorCode != 0 {
		t.Fatalf("handshake: %+v", resp)
	}
	token := []byte("\x00alice\x00alice-secret")
	c.write(append([]byte{0, 0, 0, byte(len(token))}, token...))
	frame, err := c.readFrame()
	if err != nil || len(frame) != 0 {
		t.Fatalf("raw answer %q, %v", frame, err)
	}
	c.send(metadataRequest(12))
	c.recv(metadataRequest(12).ResponseKind())
	if got := h.seen(); len(got) != 1 || got[0] != "User:alice" {
		t.Fatalf("principals %v", got)
	}

	bad := dialClient(t, s.addr)
	handshake(bad, 0, sasl.Plain)
	token = []byte("\x00alice\x00nope")
	bad.write(append([]byte{0, 0, 0, byte(len(token))}, token...))
	bad.expectClosed()
}

// TestSASLFailureDelayed: a failed login is answered only after
// connection.failed.authentication.delay.ms.
func TestSASLFailureDelayed(t *testing.T) {
	const delay = 300 * time.Millisecond
	s, _ := startSASLServer(t, Config{FailedAuthenticationDelay: delay}, 0)
	c := dialClient(t, s.addr)
	handshake(c, 1, sasl.Plain)
	start := time.Now()
	if resp := authenticate(c, 2, "\x00alice\x00nope"); resp.ErrorCode != kerr.SaslAuthenticationFailed.Code {
		t.Fatalf("authenticate: %+v", resp)
	}
	if took := time.Since(start); took < delay {
		t.Fatalf("failure answered after %v, before the %v delay", took, delay)
	}
	if n := counterValue(s.metrics.auth.WithLabelValues("SASL_PLAINTEXT", "PLAIN", "authentication", "failure")); n != 1 {
		t.Fatalf("failed authentications %v", n)
	}
}

// TestSASLReauthentication covers KIP-368: the session lifetime is
// announced, a re-authentication on the live connection keeps it serving,
// a re-authentication as someone else fails and closes, and a request
// after the session expired closes the connection.
func TestSASLReauthentication(t *testing.T) {
	t.Run("renewed", func(t *testing.T) {
		s, h := startSASLServer(t, Config{}, time.Hour)
		c := dialClient(t, s.addr)
		resp := plainLogin(c, "alice", "alice-secret")
		if resp.SessionLifetimeMillis <= 0 || resp.SessionLifetimeMillis > time.Hour.Milliseconds() {
			t.Fatalf("session lifetime %d", resp.SessionLifetimeMillis)
		}
		if resp := plainLogin(c, "alice", "alice-secret"); resp.ErrorCode != 0 || resp.SessionLifetimeMillis <= 0 {
			t.Fatalf("re-authenticate: %+v", resp)
		}
		c.send(metadataRequest(12))
		c.recv(metadataRequest(12).ResponseKind())
		if got := h.seen(); len(got) != 1 {
			t.Fatalf("handler saw %v", got)
		}
		if n := counterValue(s.metrics.auth.WithLabelValues("SASL_PLAINTEXT", "PLAIN", "reauthentication", "success")); n != 1 {
			t.Fatalf("re-authentications %v", n)
		}
	})
	t.Run("other principal", func(t *testing.T) {
		s, _ := startSASLServer(t, Config{}, time.Hour)
		c := dialClient(t, s.addr)
		plainLogin(c, "alice", "alice-secret")
		resp := plainLogin(c, "bob", "bob-secret")
		if resp.ErrorCode != kerr.SaslAuthenticationFailed.Code || resp.ErrorMessage == nil ||
			*resp.ErrorMessage != "Cannot change principals during re-authentication from User:alice: User:bob" {
			t.Fatalf("re-authenticate: %+v", resp)
		}
		c.expectClosed()
	})
	t.Run("expired", func(t *testing.T) {
		const lifetime = 50 * time.Millisecond
		s, _ := startSASLServer(t, Config{}, lifetime)
		c := dialClient(t, s.addr)
		plainLogin(c, "alice", "alice-secret")
		loggedIn := time.Now()
		waitFor(t, "the session to expire", func() bool { return time.Since(loggedIn) > lifetime })
		c.send(metadataRequest(12))
		c.expectClosed()
		waitFor(t, "the expired-session count", func() bool { return counterValue(s.metrics.expiredSessions) == 1 })
	})
	t.Run("not configured", func(t *testing.T) {
		s, h := startSASLServer(t, Config{}, 0)
		c := dialClient(t, s.addr)
		plainLogin(c, "alice", "alice-secret")
		handshake(c, 1, sasl.Plain) // the Handler answers (ILLEGAL_SASL_STATE in the broker)
		if got := h.seen(); len(got) != 1 {
			t.Fatalf("handler saw %v", got)
		}
	})
}

// TestSASLApiVersionsRetry: an ApiVersions refused as INVALID_REQUEST
// (bad client software name) may be sent again, as Kafka allows.
func TestSASLApiVersionsRetry(t *testing.T) {
	s, _ := startSASLServer(t, Config{}, 0)
	h := s.handler.(*saslHandler)
	h.handle = func(_ context.Context, req *Request) (*Response, error) {
		resp := req.Body.ResponseKind().(*kmsg.ApiVersionsResponse)
		if req.Body.(*kmsg.ApiVersionsRequest).ClientSoftwareName == "bad name!" {
			resp.ErrorCode = kerr.InvalidRequest.Code
		}
		return &Response{Msg: resp}, nil
	}
	c := dialClient(t, s.addr)
	req := kmsg.NewPtrApiVersionsRequest()
	req.SetVersion(3)
	req.ClientSoftwareName, req.ClientSoftwareVersion = "bad name!", "1"
	c.send(req)
	if resp := req.ResponseKind().(*kmsg.ApiVersionsResponse); c.recv(resp) == 0 || resp.ErrorCode != kerr.InvalidRequest.Code {
		t.Fatalf("first ApiVersions: %+v", resp)
	}
	c.roundTrip()
	if resp := plainLogin(c, "alice", "alice-secret"); resp.ErrorCode != 0 {
		t.Fatalf("login: %+v", resp)
	}
}
