package handler_test

import (
	"context"
	"encoding/binary"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/server"
)

// wireConn is one client connection to a real server.Server serving the
// fixture's handler, for what only the wire shows: the record bytes of
// Fetch responses, which the handler hands over as file regions.
type wireConn struct {
	t    testing.TB
	nc   net.Conn
	corr int32
	fmtr *kmsg.RequestFormatter
}

// dial starts a server for the fixture's handler and connects to it.
func (f *fixture) dial() *wireConn {
	f.t.Helper()
	srv, err := server.New(server.Config{
		Listeners: []server.Listener{{Name: "PLAINTEXT", Address: "127.0.0.1:0"}},
		Logger:    slog.New(slog.DiscardHandler),
	}, f.h)
	if err != nil {
		f.t.Fatalf("new server: %v", err)
	}
	if err := srv.Listen(); err != nil {
		f.t.Fatalf("listen: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx) }()
	nc, err := net.Dial("tcp", srv.Addrs()[0].String())
	if err != nil {
		f.t.Fatalf("dial: %v", err)
	}
	f.t.Cleanup(func() {
		nc.Close()
		cancel()
		sctx, scancel := context.WithTimeout(context.Background(), testTimeout)
		defer scancel()
		if err := srv.Shutdown(sctx); err != nil {
			f.t.Errorf("server shutdown: %v", err)
		}
		<-served
	})
	return &wireConn{t: f.t, nc: nc, fmtr: kmsg.NewRequestFormatter(kmsg.FormatterClientID("handler-test"))}
}

// call writes a request and reads its response.
func (c *wireConn) call(req kmsg.Request) kmsg.Response {
	c.t.Helper()
	c.corr++
	if err := c.nc.SetDeadline(time.Now().Add(testTimeout)); err != nil {
		c.t.Fatal(err)
	}
	if _, err := c.nc.Write(c.fmtr.AppendRequest(nil, req, c.corr)); err != nil {
		c.t.Fatalf("write %s: %v", kmsg.NameForKey(req.Key()), err)
	}
	body := c.readFrame()
	if got := int32(binary.BigEndian.Uint32(body)); got != c.corr {
		c.t.Fatalf("correlation id %d, want %d", got, c.corr)
	}
	body = body[4:]
	if req.IsFlexible() && req.Key() != 18 { // response header v1: tagged fields
		body = skipTags(c.t, body)
	}
	resp := req.ResponseKind()
	if err := resp.ReadFrom(body); err != nil {
		c.t.Fatalf("decode %s response: %v", kmsg.NameForKey(req.Key()), err)
	}
	return resp
}

func (c *wireConn) readFrame() []byte {
	c.t.Helper()
	var size [4]byte
	if _, err := io.ReadFull(c.nc, size[:]); err != nil {
		c.t.Fatalf("read response size: %v", err)
	}
	body := make([]byte, binary.BigEndian.Uint32(size[:]))
	if _, err := io.ReadFull(c.nc, body); err != nil {
		c.t.Fatalf("read response: %v", err)
	}
	return body
}

func skipTags(t testing.TB, b []byte) []byte {
	t.Helper()
	n, used := binary.Uvarint(b)
	if used <= 0 {
		t.Fatal("response header tags truncated")
	}
	b = b[used:]
	for range n {
		_, used = binary.Uvarint(b) // tag key
		if used <= 0 {
			t.Fatal("response header tag truncated")
		}
		b = b[used:]
		size, used := binary.Uvarint(b)
		if used <= 0 || int(size) > len(b)-used {
			t.Fatal("response header tag truncated")
		}
		b = b[used+int(size):]
	}
	return b
}
