package sasl

import (
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// rawConn speaks the protocol by hand, to send what no client would.
type rawConn struct {
	t    *testing.T
	nc   net.Conn
	corr int32
	f    *kmsg.RequestFormatter
}

func dialRaw(t *testing.T, addr string) *rawConn {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = nc.Close() })
	return &rawConn{t: t, nc: nc, f: kmsg.NewRequestFormatter(kmsg.FormatterClientID("badinput"))}
}

func (c *rawConn) write(b []byte) {
	c.t.Helper()
	_ = c.nc.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.nc.Write(b); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

func (c *rawConn) send(req kmsg.Request) {
	c.corr++
	c.write(c.f.AppendRequest(nil, req, c.corr))
}

// recv reads one response; err is set when the connection closed instead.
func (c *rawConn) recv(resp kmsg.Response) error {
	_ = c.nc.SetReadDeadline(time.Now().Add(10 * time.Second))
	var prefix [4]byte
	if _, err := io.ReadFull(c.nc, prefix[:]); err != nil {
		return err
	}
	frame := make([]byte, binary.BigEndian.Uint32(prefix[:]))
	if _, err := io.ReadFull(c.nc, frame); err != nil {
		return err
	}
	body := frame[4:]
	if resp.IsFlexible() {
		body = body[1:] // empty header tags
	}
	return resp.ReadFrom(body)
}

// expectClosed checks the broker closes the connection without answering.
func (c *rawConn) expectClosed() {
	c.t.Helper()
	var resp kmsg.ApiVersionsResponse
	err := c.recv(&resp)
	var ne net.Error
	if err == nil || (errors.As(err, &ne) && ne.Timeout()) {
		c.t.Fatalf("connection not closed: %v", err)
	}
}

func (c *rawConn) handshake(mech string) *kmsg.SASLHandshakeResponse {
	c.t.Helper()
	req := kmsg.NewPtrSASLHandshakeRequest()
	req.Version, req.Mechanism = 1, mech
	c.send(req)
	resp := kmsg.NewPtrSASLHandshakeResponse()
	resp.Version = 1
	if err := c.recv(resp); err != nil {
		c.t.Fatalf("handshake: %v", err)
	}
	return resp
}

// authenticate sends one SaslAuthenticate; a nil response means the
// connection closed.
func (c *rawConn) authenticate(token string) *kmsg.SASLAuthenticateResponse {
	c.t.Helper()
	req := kmsg.NewPtrSASLAuthenticateRequest()
	req.Version, req.SASLAuthBytes = 2, []byte(token)
	c.send(req)
	resp := kmsg.NewPtrSASLAuthenticateResponse()
	resp.Version = 2
	if err := c.recv(resp); err != nil {
		return nil
	}
	return resp
}

// TestBadInput sends what no client should to the real server's SASL
// listener: each is closed or answered with Kafka's error, nothing is
// written, the broker goes on serving a good client, and no password
// reaches the log (checked at cleanup).
func TestBadInput(t *testing.T) {
	b := startSASLBroker(t, nil)
	addScramUser(t, b.Addr, "alice", aliceSecret)
	failed := func(resp *kmsg.SASLAuthenticateResponse) bool {
		return resp != nil && resp.ErrorCode == kerr.SaslAuthenticationFailed.Code && resp.ErrorMessage != nil
	}
	tests := []struct {
		name string
		run  func(t *testing.T, c *rawConn)
	}{
		{"produce before authentication", func(t *testing.T, c *rawConn) {
			req := kmsg.NewPtrProduceRequest()
			req.Version, req.Acks = 9, -1
			req.Topics = []kmsg.ProduceRequestTopic{{Topic: "bad", Partitions: []kmsg.ProduceRequestTopicPartition{{Partition: 0}}}}
			c.send(req)
			c.expectClosed()
		}},
		{"metadata before authentication", func(t *testing.T, c *rawConn) {
			c.send(kmsg.NewPtrMetadataRequest())
			c.expectClosed()
		}},
		{"authenticate without handshake", func(t *testing.T, c *rawConn) {
			c.authenticate("\x00bob\x00" + bobSecret)
			c.expectClosed()
		}},
		{"SCRAM with a bad nonce", func(t *testing.T, c *rawConn) {
			c.handshake("SCRAM-SHA-256")
			if resp := c.authenticate("n,,n=alice,r=abc"); resp == nil || resp.ErrorCode != 0 {
				t.Fatalf("client-first: %+v", resp)
			}
			if resp := c.authenticate("c=biws,r=zzz,p=" + strings.Repeat("A", 43) + "="); !failed(resp) {
				t.Fatalf("bad nonce: %+v", resp)
			}
			c.expectClosed()
		}},
		{"SCRAM with a wrong proof", func(t *testing.T, c *rawConn) {
			c.handshake("SCRAM-SHA-512")
			resp := c.authenticate("n,,n=alice,r=abc")
			if resp == nil || resp.ErrorCode != 0 {
				t.Fatalf("client-first: %+v", resp)
			}
			nonce, _, _ := strings.Cut(string(resp.SASLAuthBytes), ",")
			if resp := c.authenticate("c=biws," + nonce + ",p=" + strings.Repeat("A", 86) + "=="); !failed(resp) {
				t.Fatalf("wrong proof: %+v", resp)
			}
			c.expectClosed()
		}},
		{"SCRAM garbage first message", func(t *testing.T, c *rawConn) {
			c.handshake("SCRAM-SHA-256")
			if resp := c.authenticate("\xff\xfe n=,r="); !failed(resp) {
				t.Fatalf("garbage: %+v", resp)
			}
			c.expectClosed()
		}},
		{"SCRAM unknown user", func(t *testing.T, c *rawConn) {
			c.handshake("SCRAM-SHA-256")
			resp := c.authenticate("n,,n=mallory,r=abc")
			if !failed(resp) || !strings.Contains(*resp.ErrorMessage, "invalid credentials") {
				t.Fatalf("unknown user: %+v", resp)
			}
			c.expectClosed()
		}},
		{"oversized token", func(t *testing.T, c *rawConn) {
			c.handshake("PLAIN")
			c.write([]byte{0x00, 0x10, 0x00, 0x00}) // claims 1 MiB, over sasl.server.max.receive.size
			c.expectClosed()
		}},
		{"unsupported mechanism", func(t *testing.T, c *rawConn) {
			if resp := c.handshake("GSSAPI"); resp.ErrorCode != kerr.UnsupportedSaslMechanism.Code || len(resp.SupportedMechanisms) != 4 {
				t.Fatalf("GSSAPI: %+v", resp)
			}
			c.expectClosed()
		}},
		{"PLAIN with a password for another user", func(t *testing.T, c *rawConn) {
			c.handshake("PLAIN")
			if resp := c.authenticate("\x00admin\x00" + bobSecret); !failed(resp) ||
				*resp.ErrorMessage != "Authentication failed: Invalid username or password" {
				t.Fatalf("PLAIN: %+v", resp)
			}
			c.expectClosed()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t, dialRaw(t, b.SASLAddr))
			if err := metadataErr(b.SASLAddr, plainMech("bob", bobSecret)); err != nil {
				t.Fatalf("a good client after it: %v", err)
			}
		})
	}
	if got := endOffset(t, b.Broker, "bad"); got != 0 {
		t.Fatalf("topic bad has %d records", got)
	}
}
