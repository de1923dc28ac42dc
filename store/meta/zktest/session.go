package zktest

import (
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"time"
)

// clientSession is what Dial learned about a session: its password, and
// the client's current connection.
type clientSession struct {
	passwd []byte
	conn   net.Conn
}

// Dial connects to the server like net.DialTimeout and records the
// session the server hands out on that connection. Give it to the
// ZooKeeper client (zkstore.WithDialer) to make ExpireSession and
// Disconnect work on its session.
func (s *Server) Dial(network, address string, timeout time.Duration) (net.Conn, error) {
	conn, err := net.DialTimeout(network, address, timeout)
	if err != nil {
		return nil, err
	}
	return &sniffConn{Conn: conn, srv: s}, nil
}

func (s *Server) remember(id int64, passwd []byte, conn net.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions[id] = &clientSession{passwd: passwd, conn: conn}
}

func (s *Server) session(id int64) (*clientSession, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.sessions[id]
	if cs == nil {
		return nil, fmt.Errorf("session 0x%x was not dialed through Server.Dial", id)
	}
	return cs, nil
}

// sniffConn reads the server's answer to the client's connect request
// (the first frame it receives) to learn the session id and password.
type sniffConn struct {
	net.Conn
	srv  *Server
	buf  []byte
	done bool
}

func (c *sniffConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if !c.done && n > 0 {
		c.buf = append(c.buf, p[:n]...)
		c.parse()
	}
	return n, err
}

// parse decodes the connect response once complete:
// length | protocolVersion i32 | timeout i32 | sessionId i64 | passwd (i32 length + bytes).
func (c *sniffConn) parse() {
	if len(c.buf) < 4 || len(c.buf) < 4+int(binary.BigEndian.Uint32(c.buf)) {
		return
	}
	frame := c.buf[4 : 4+int(binary.BigEndian.Uint32(c.buf))]
	c.done, c.buf = true, nil
	if len(frame) < 20 {
		return
	}
	id := int64(binary.BigEndian.Uint64(frame[8:]))
	n := int(int32(binary.BigEndian.Uint32(frame[16:])))
	if id == 0 || n < 0 || 20+n > len(frame) {
		return // no session granted: the client will see it expired
	}
	c.srv.remember(id, append([]byte(nil), frame[20:20+n]...), c)
}

// ExpireSession closes session id on the server, as an expiry would, then
// cuts the client's connection so it reconnects and learns the session is
// gone. It returns once the server has closed the session.
func (s *Server) ExpireSession(id int64) error {
	cs, err := s.session(id)
	if err != nil {
		return err
	}
	if err := s.closeSession(id, cs.passwd); err != nil {
		return fmt.Errorf("expire session 0x%x: %w", id, err)
	}
	_ = cs.conn.Close() // the client sees EOF and reconnects; nothing to report
	return nil
}

// Disconnect cuts the client's connection of session id without ending
// the session: the client reconnects to the same session.
func (s *Server) Disconnect(id int64) error {
	cs, err := s.session(id)
	if err != nil {
		return err
	}
	return cs.conn.Close()
}

// closeSession attaches a new connection to the session and sends
// closeSession (op -11) on it.
func (s *Server) closeSession(id int64, passwd []byte) error {
	conn, err := net.DialTimeout("tcp", s.Addr(), 5*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	// connect request: protocolVersion i32, lastZxidSeen i64, timeout i32,
	// sessionId i64, passwd (i32 length + bytes)
	req := binary.BigEndian.AppendUint32(nil, 0)
	req = binary.BigEndian.AppendUint64(req, 0)
	req = binary.BigEndian.AppendUint32(req, 30000)
	req = binary.BigEndian.AppendUint64(req, uint64(id))
	req = binary.BigEndian.AppendUint32(req, uint32(len(passwd)))
	req = append(req, passwd...)
	resp, err := roundTrip(conn, req)
	if err != nil {
		return fmt.Errorf("reattach: %w", err)
	}
	if len(resp) < 16 || binary.BigEndian.Uint64(resp[8:]) == 0 {
		return nil // the server had already expired it
	}
	// request header: xid i32, type i32 (closeSession = -11)
	closeReq := binary.BigEndian.AppendUint32(nil, 1)
	closeReq = binary.BigEndian.AppendUint32(closeReq, uint32(0xFFFFFFF5))
	if _, err := roundTrip(conn, closeReq); err != nil {
		return fmt.Errorf("close: %w", err)
	}
	return nil
}

// roundTrip writes one length-prefixed frame and reads one back.
func roundTrip(conn net.Conn, payload []byte) ([]byte, error) {
	frame := binary.BigEndian.AppendUint32(nil, uint32(len(payload)))
	if _, err := conn.Write(append(frame, payload...)); err != nil {
		return nil, err
	}
	var size [4]byte
	if _, err := io.ReadFull(conn, size[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(size[:])
	if n > 1<<20 {
		return nil, fmt.Errorf("answer of %d bytes", n)
	}
	resp := make([]byte, n)
	_, err := io.ReadFull(conn, resp)
	return resp, err
}
