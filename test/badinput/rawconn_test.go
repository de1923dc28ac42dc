package badinput

import (
	"encoding/binary"
	"errors"
	"io"
	"net"
	"os"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// ioTimeout bounds every read and write on a raw connection; nothing sleeps.
const ioTimeout = 15 * time.Second

// rawConn speaks the Kafka protocol by hand, so a test can send what no
// client library would.
type rawConn struct {
	t    *testing.T
	nc   net.Conn
	corr int32
}

func dial(t *testing.T, addr string) *rawConn {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, ioTimeout)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { nc.Close() })
	return &rawConn{t: t, nc: nc}
}

func (c *rawConn) write(b []byte) {
	c.t.Helper()
	if err := c.nc.SetWriteDeadline(time.Now().Add(ioTimeout)); err != nil {
		c.t.Fatal(err)
	}
	if _, err := c.nc.Write(b); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// request encodes req with a fresh correlation id.
func (c *rawConn) request(req kmsg.Request) []byte {
	c.corr++
	return kmsg.NewRequestFormatter(kmsg.FormatterClientID("badinput")).AppendRequest(nil, req, c.corr)
}

// call sends req and decodes its response into resp (of the request's kind
// unless given), checking the correlation id.
func (c *rawConn) call(req kmsg.Request) kmsg.Response {
	c.t.Helper()
	c.write(c.request(req))
	return c.read(req, req.ResponseKind())
}

func (c *rawConn) read(req kmsg.Request, resp kmsg.Response) kmsg.Response {
	c.t.Helper()
	body := c.readFrame()
	if len(body) < 4 || int32(binary.BigEndian.Uint32(body)) != c.corr {
		c.t.Fatalf("response frame %x, want correlation id %d", body[:min(len(body), 8)], c.corr)
	}
	body = body[4:]
	if req.IsFlexible() && req.Key() != 18 { // response header v1 carries tags
		if len(body) == 0 || body[0] != 0 {
			c.t.Fatalf("response header tags %x, want none", body[:min(len(body), 4)])
		}
		body = body[1:]
	}
	if err := resp.ReadFrom(body); err != nil {
		c.t.Fatalf("decode %s v%d response: %v", kmsg.NameForKey(req.Key()), resp.GetVersion(), err)
	}
	return resp
}

func (c *rawConn) readFrame() []byte {
	c.t.Helper()
	if err := c.nc.SetReadDeadline(time.Now().Add(ioTimeout)); err != nil {
		c.t.Fatal(err)
	}
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

// expectClosed waits for the broker to close the connection, reading (and
// failing on) anything it sends first.
func (c *rawConn) expectClosed() {
	c.t.Helper()
	if err := c.nc.SetReadDeadline(time.Now().Add(ioTimeout)); err != nil {
		c.t.Fatal(err)
	}
	var buf [512]byte
	n, err := c.nc.Read(buf[:])
	switch {
	case n > 0:
		c.t.Fatalf("broker answered %x, want the connection closed", buf[:n])
	case errors.Is(err, os.ErrDeadlineExceeded):
		c.t.Fatalf("connection still open after %v, want it closed", ioTimeout)
	case err == nil:
		c.t.Fatal("empty read, want the connection closed")
	}
	// io.EOF or a reset: closed, as wanted.
}

// halfClose ends what the client sends, as a client that dies mid-request.
func (c *rawConn) halfClose() {
	c.t.Helper()
	if err := c.nc.(*net.TCPConn).CloseWrite(); err != nil {
		c.t.Fatal(err)
	}
}
