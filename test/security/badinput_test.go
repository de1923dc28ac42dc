package security

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// apiVersionsFrame is a plaintext ApiVersions v0 request, size-prefixed.
func apiVersionsFrame() []byte {
	req := kmsg.NewPtrApiVersionsRequest()
	req.Version = 0
	return kmsg.NewRequestFormatter(kmsg.FormatterClientID("plaintext")).AppendRequest(nil, req, 1)
}

// tlsGarbage is a TLS handshake record header followed by random bytes.
func tlsGarbage() []byte {
	junk := make([]byte, 512)
	_, _ = rand.Read(junk)
	return append([]byte{0x16, 0x03, 0x01, 0x02, 0x00}, junk...)
}

func TestHostileInputOnTLSPort(t *testing.T) {
	p := newPKI(t)
	b := startSSLBroker(t, p, nil)
	createTopic(t, b.Admin(), "still-serving", 1, 1)
	tests := []struct {
		name  string
		input []byte
	}{
		{"plaintext Kafka request", apiVersionsFrame()},
		{"TLS record header then garbage", tlsGarbage()},
		{"HTTP", []byte("GET / HTTP/1.1\r\nHost: kq\r\n\r\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reply := sendRaw(t, b.Addr, tt.input)
			// No Kafka response comes back: at most a TLS alert record (type
			// 0x15), then the broker closes the connection.
			if len(reply) > 0 && reply[0] != 0x15 {
				t.Fatalf("broker answered % x, want at most a TLS alert", reply[:min(len(reply), 16)])
			}
		})
	}
	// The broker keeps serving well-behaved clients.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := b.Client().Ping(ctx); err != nil {
		t.Fatalf("broker stopped serving after hostile input: %v", err)
	}
	if !strings.Contains(b.Logs(), "tls_handshake") {
		t.Errorf("no connection closed for a failed TLS handshake in the broker log")
	}
	checkNoSecrets(t, b.Logs())
}

// sendRaw writes input to a fresh TCP connection and reads until the broker
// closes it; it fails the test if the broker keeps it open.
func sendRaw(t *testing.T, addr string, input []byte) []byte {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write(input); err != nil {
		t.Fatal(err)
	}
	if err := c.SetReadDeadline(time.Now().Add(8 * time.Second)); err != nil {
		t.Fatal(err)
	}
	reply, err := io.ReadAll(c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("broker kept the connection open after % x...", input[:8])
	}
	return reply
}
