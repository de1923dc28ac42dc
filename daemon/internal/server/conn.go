package server

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Buffer sizes per connection: large enough to coalesce pipelined small
// requests and responses into few syscalls, small enough for thousands of
// connections. Large frames bypass both buffers.
const (
	readBufferSize  = 16 * 1024
	writeBufferSize = 16 * 1024
)

// conn is one client connection: a reader goroutine that decodes requests,
// a handling goroutine that calls the Handler in order (pipeline.go), and a
// writer goroutine that writes responses in the same order. The queues
// between them hold at most MaxInFlightPerConn requests each; when full the
// reader stops reading, which pushes back on the client through TCP.
type conn struct {
	srv  *Server
	nc   net.Conn // the TLS connection on SSL listeners
	info ConnInfo
	log  *slog.Logger

	tls *tls.Conn // nil on plaintext listeners
	// certPrincipal: the client certificate names the principal (SSL; on
	// SASL_SSL, as in Kafka, SASL does).
	certPrincipal bool
	sslPrincipal  func(*x509.Certificate) (string, error)

	// ctx lives as long as the connection; cancelled by close.
	ctx    context.Context
	cancel context.CancelFunc
	// handlerCtx is handed to the Handler. It ends with ctx, and earlier
	// when no further request will be read (the client's EOF, a drain):
	// waits that would only end at a deadline then answer with what they
	// have, while the writer still writes every response owed.
	handlerCtx    context.Context
	endOfRequests context.CancelFunc

	br      *bufio.Reader
	armedAt time.Time // when the read deadline was last moved (reader only)
	bw      *bufio.Writer
	wbuf    []byte // reused response encoding buffer (writer only)
	scratch []byte // region copy buffer, allocated on first use (writer only)

	// sasl is the SASL state of a connection on a SASL listener (nil on
	// others): authenticate runs it before the pipeline starts, and
	// interceptSASL on the handling goroutine afterwards.
	sasl *saslConn

	queue    chan *pending
	inFlight atomic.Int32 // requests read whose responses are not yet written
	draining atomic.Bool  // Shutdown: read no more requests
	throttle *throttler   // client quota mute (throttle.go)

	closeOnce sync.Once
}

// pending is a request on its way from the reader to the writer.
type pending struct {
	key, version int16 // of the response to encode
	correlation  int32
	arrived      time.Time
	resp         *Response
	follower     bool // a replica's Fetch, timed as Kafka's FetchFollower
	// last ends the connection once this response is written (a failed
	// SASL re-authentication).
	last bool
}

// startConn registers and starts a connection, unless the server is closing.
func (s *Server) startConn(nc net.Conn, l Listener) {
	listener := l.Name
	s.tuneSocket(nc, listener)
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		_ = nc.Close() // never served; nothing to report to anyone
		s.releaseSlot()
		return
	}
	c := s.newConn(nc, l)
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	s.mu.Unlock()

	s.metrics.accepted.WithLabelValues(listener).Inc()
	s.metrics.open.Inc()
	c.log.Debug("connection accepted")
	go func() {
		defer s.wg.Done()
		c.serve()
		s.forget(c)
	}()
}

// newConn wraps the socket in TLS for SSL and SASL_SSL listeners (and
// prepares SASL authentication on SASL ones); the
// handshake itself runs in the connection's goroutine (serve), so a slow or
// hostile peer never holds up the accept loop.
func (s *Server) newConn(nc net.Conn, l Listener) *conn {
	info := ConnInfo{ID: s.nextID.Add(1), Remote: nc.RemoteAddr(), Local: nc.LocalAddr(), Listener: l.Name,
		SecurityProtocol: l.protocol(), Principal: AnonymousPrincipal}
	c := &conn{srv: s, info: info, nc: nc}
	if l.usesTLS() {
		c.tls = tls.Server(nc, l.TLS)
		c.nc = c.tls
		c.certPrincipal = l.protocol() == ProtocolSSL
		c.sslPrincipal = l.SSLPrincipal
	}
	if l.isSASL() {
		c.sasl = newSASLConn(l)
	}
	ctx, cancel := context.WithCancel(context.Background())
	handlerCtx, endOfRequests := context.WithCancel(ctx)
	c.ctx, c.cancel = ctx, cancel
	c.handlerCtx, c.endOfRequests = handlerCtx, endOfRequests
	c.log = s.log.With("conn", info.ID, "remote", info.Remote.String(), "listener", l.Name)
	c.br = bufio.NewReaderSize(c.nc, readBufferSize)
	c.bw = bufio.NewWriterSize(c.nc, writeBufferSize)
	c.queue = make(chan *pending, MaxInFlightPerConn)
	c.throttle = newThrottler()
	return c
}

// tuneSocket applies socket.send.buffer.bytes and socket.receive.buffer.bytes.
func (s *Server) tuneSocket(nc net.Conn, listener string) {
	tc, ok := nc.(*net.TCPConn)
	if !ok {
		return
	}
	if n := s.cfg.SendBuffer; n > 0 {
		if err := tc.SetWriteBuffer(n); err != nil {
			s.log.Debug("set socket send buffer", "listener", listener, "bytes", n, "err", err)
		}
	}
	if n := s.cfg.ReceiveBuffer; n > 0 {
		if err := tc.SetReadBuffer(n); err != nil {
			s.log.Debug("set socket receive buffer", "listener", listener, "bytes", n, "err", err)
		}
	}
}

func (s *Server) forget(c *conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	s.metrics.open.Dec()
	s.releaseSlot()
}

// serve runs the connection until both its goroutines are done. A TLS
// listener's connection shakes hands first, a SASL listener's then
// authenticates, one request at a time.
func (c *conn) serve() {
	if c.tls != nil {
		if reason, ok := c.handshake(); !ok {
			c.endOfRequests()
			c.close(reason)
			return
		}
	}
	if c.sasl != nil {
		if reason, ok := c.authenticate(); !ok {
			c.endOfRequests()
			c.close(reason)
			return
		}
	}
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		c.writeLoop()
	}()
	reason := c.readLoop()
	close(c.queue)
	if !reason.graceful() {
		c.close(reason)
	}
	c.endOfRequests()
	<-writerDone
	c.close(reason) // no-op if already closed for another reason
}

// drain makes the reader stop at the next request boundary (or abandon a
// partly read request); the writer then finishes what was read.
func (c *conn) drain() {
	c.draining.Store(true)
	c.wakeMuted()
	// A deadline in the past wakes a blocked Read; the reader checks
	// draining after every deadline it sets, so it cannot miss this.
	if err := c.nc.SetReadDeadline(time.Unix(1, 0)); err != nil {
		c.close(closeReason{kind: reasonShutdown, err: err})
	}
}

// close closes the connection once, logging and counting the first reason.
func (c *conn) close(r closeReason) {
	c.closeOnce.Do(func() {
		c.cancel()
		err := c.nc.Close()
		c.srv.metrics.closed.WithLabelValues(string(r.kind)).Inc()
		c.log.Debug("connection closed", "reason", string(r.kind), "cause", r.err, "close_err", err)
	})
}
