package zkstore

import (
	"encoding/binary"
	"net"
	"sync/atomic"
	"time"
)

// boundHandshake wraps dial so that a server which accepts the connection
// but never answers the session handshake is given up on after limit.
// go-zookeeper waits ten times its receive timeout (over six session
// timeouts) for that answer, long enough for the session to expire; the
// Java client allows the session timeout divided among the servers, and
// so does this.
func boundHandshake(dial Dialer, limit time.Duration) Dialer {
	return func(network, address string, timeout time.Duration) (net.Conn, error) {
		conn, err := dial(network, address, timeout)
		if err != nil {
			return nil, err
		}
		if err := conn.SetDeadline(time.Now().Add(limit)); err != nil {
			conn.Close()
			return nil, err
		}
		return &handshakeConn{Conn: conn}, nil
	}
}

// handshakeConn holds its own deadline, ignoring go-zookeeper's, until the
// handshake answer (the first length-prefixed frame) has been read.
type handshakeConn struct {
	net.Conn
	done   atomic.Bool
	header []byte
	left   int
}

func (c *handshakeConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if !c.done.Load() {
		c.consume(p[:n])
	}
	return n, err
}

// consume counts the answer's bytes; at its end the connection's own
// deadline goes and go-zookeeper's deadlines apply again. Bytes past the
// answer do not matter.
func (c *handshakeConn) consume(b []byte) {
	if len(c.header) < 4 {
		k := min(4-len(c.header), len(b))
		c.header, b = append(c.header, b[:k]...), b[k:]
		if len(c.header) < 4 {
			return
		}
		c.left = int(binary.BigEndian.Uint32(c.header))
	}
	c.left -= min(c.left, len(b))
	if c.left == 0 {
		c.done.Store(true)
		_ = c.Conn.SetDeadline(time.Time{}) // a failure shows as a read error soon enough
	}
}

func (c *handshakeConn) SetDeadline(t time.Time) error {
	if !c.done.Load() {
		return nil
	}
	return c.Conn.SetDeadline(t)
}

func (c *handshakeConn) SetReadDeadline(t time.Time) error {
	if !c.done.Load() {
		return nil
	}
	return c.Conn.SetReadDeadline(t)
}

func (c *handshakeConn) SetWriteDeadline(t time.Time) error {
	if !c.done.Load() {
		return nil
	}
	return c.Conn.SetWriteDeadline(t)
}
