package server

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime/debug"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// errRequestTooLarge means a size prefix is negative or above MaxRequestSize.
var errRequestTooLarge = errors.New("request size out of range")

// slowDecode is when a request's decoding is logged as suspicious: kmsg
// decodes a forged tag count in time proportional to the count (see doc.go).
const slowDecode = 100 * time.Millisecond

// errDraining means Shutdown asked the reader to stop.
var errDraining = errors.New("draining for shutdown")

// readFrame returns the next request frame, without its size prefix. The
// wait for a frame is bounded by the idle timeout, which is extended while
// responses are still owed (Kafka counts those as activity). The frame is
// the request's alone (decoded requests alias it) until its Response says
// FrameDone.
func (c *conn) readFrame() (*frameBuf, error) {
	for {
		if err := c.armReadDeadline(); err != nil {
			return nil, err
		}
		_, err := c.br.Peek(1)
		if err == nil {
			break
		}
		if !isTimeout(err) || c.draining.Load() || c.inFlight.Load() == 0 {
			return nil, err
		}
	}
	var prefix [4]byte
	if _, err := io.ReadFull(c.br, prefix[:]); err != nil {
		return nil, fmt.Errorf("read size prefix: %w", err)
	}
	size := int32(binary.BigEndian.Uint32(prefix[:]))
	if size < 0 || size > c.srv.cfg.MaxRequestSize {
		return nil, fmt.Errorf("%w: %d bytes, socket.request.max.bytes is %d", errRequestTooLarge, size, c.srv.cfg.MaxRequestSize)
	}
	frame := c.srv.frames.get(int(size))
	if _, err := io.ReadFull(c.br, frame.b); err != nil {
		c.srv.frames.put(frame)
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("read %d-byte request: %w", size, err)
	}
	c.srv.metrics.bytesIn.Add(float64(size + 4))
	return frame, nil
}

// armReadDeadline moves the idle deadline forward, then checks for a drain:
// Shutdown stores draining before setting its own past deadline, so either
// this sees draining or Shutdown's deadline lands after this one. Setting a
// deadline costs timer work, so it is moved only once a sixteenth of the idle
// timeout has passed: connections close after 15/16 to 16/16 of it.
func (c *conn) armReadDeadline() error {
	if idle := c.srv.cfg.IdleTimeout; idle > 0 {
		if now := time.Now(); now.Sub(c.armedAt) > idle/16 {
			if err := c.nc.SetReadDeadline(now.Add(idle)); err != nil {
				return fmt.Errorf("set read deadline: %w", err)
			}
			c.armedAt = now
		}
	}
	if c.draining.Load() {
		return errDraining
	}
	return nil
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// readFailure classifies why reading stopped.
func (c *conn) readFailure(err error) closeReason {
	switch {
	case errors.Is(err, errDraining), c.draining.Load() && isTimeout(err):
		return closeReason{kind: reasonShutdown}
	case errors.Is(err, net.ErrClosed):
		return closeReason{kind: reasonAlreadyClosed}
	case errors.Is(err, errRequestTooLarge):
		c.log.Info("closing connection: request size out of range", "err", err)
		return closeReason{kind: reasonRequestTooLarge, err: err}
	case errors.Is(err, io.EOF):
		return closeReason{kind: reasonClientClosed}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return closeReason{kind: reasonProtocolError, err: err}
	case isTimeout(err):
		return closeReason{kind: reasonIdle, err: err}
	default:
		return closeReason{kind: reasonReadError, err: err}
	}
}

// process turns a frame into a pending response: decode, check versions,
// call the Handler. ok=false closes the connection for reason.
func (c *conn) process(frame []byte) (p *pending, reason closeReason, ok bool) {
	in, reason, ok := c.decode(frame)
	if !ok {
		return nil, reason, false
	}
	return c.dispatch(in)
}

// decode parses a frame's header, checks it against the versions served
// and decodes the body. ok=false closes the connection for reason.
func (c *conn) decode(frame []byte) (in inbound, reason closeReason, ok bool) {
	arrived := time.Now()
	hdr, rest, err := parseHeader(frame)
	if err != nil {
		c.log.Debug("closing connection: bad request header", "err", err)
		return inbound{}, closeReason{kind: reasonProtocolError, err: err}, false
	}
	verdict, err := admit(c.srv.handler, hdr)
	switch verdict {
	case rejectRequest:
		c.log.Info("closing connection: unsupported request", "client_id", hdr.clientID, "key", hdr.key, "version", hdr.version, "err", err)
		return inbound{}, closeReason{kind: reasonUnsupported, err: err}, false
	case answerUnsupported:
		c.log.Debug("answering unsupported ApiVersions version", "client_id", hdr.clientID, "version", hdr.version)
		c.srv.metrics.api(hdr.key).requests.Inc()
		return inbound{answer: &pending{key: hdr.key, version: 0, correlation: hdr.correlation, arrived: arrived,
			resp: &Response{Msg: unsupportedVersionsResponse(c.srv.handler)}}}, closeReason{}, true
	}
	body, err := decodeGuarded(hdr, rest)
	if took := time.Since(arrived); took > slowDecode {
		c.log.Warn("slow request decode", "client_id", hdr.clientID, "key", hdr.key, "version", hdr.version,
			"bytes", len(frame)+4, "took", took, "err", err)
	}
	if err != nil {
		c.log.Debug("closing connection: undecodable request", "client_id", hdr.clientID, "err", err)
		return inbound{}, closeReason{kind: reasonProtocolError, err: err}, false
	}
	c.srv.metrics.api(hdr.key).requests.Inc()
	req := &Request{Key: hdr.key, Version: hdr.version, CorrelationID: hdr.correlation, ClientID: hdr.clientID,
		Body: body, Conn: c.info, Size: len(frame) + 4}
	return inbound{req: req, arrived: arrived}, closeReason{}, true
}

// dispatch hands a decoded request to the Handler and returns its pending
// response. ok=false closes the connection for reason.
func (c *conn) dispatch(in inbound) (p *pending, reason closeReason, ok bool) {
	if in.answer != nil {
		return in.answer, closeReason{}, true
	}
	if c.sasl != nil {
		if p, reason, handled := c.interceptSASL(in); handled {
			return p, reason, p != nil
		}
	}
	resp, reason, ok := c.handle(in.req)
	if !ok {
		return nil, reason, false
	}
	return &pending{key: in.req.Key, version: in.req.Version, correlation: in.req.CorrelationID, arrived: in.arrived, resp: resp,
		follower: fromFollower(in.req)}, closeReason{}, true
}

// decodeGuarded decodes a body, turning a decoder panic (kmsg is generated
// and fuzzed, but bytes from the network deserve a second line of defence)
// into an error.
func decodeGuarded(hdr header, rest []byte) (req kmsg.Request, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("decoder panic on key %d v%d: %v", hdr.key, hdr.version, r)
		}
	}()
	return decodeBody(hdr, rest)
}

// handle calls the Handler, recovering a panic.
func (c *conn) handle(req *Request) (resp *Response, reason closeReason, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			c.log.Error("handler panic; closing connection", "key", req.Key, "version", req.Version,
				"client_id", req.ClientID, "panic", r, "stack", string(debug.Stack()))
			resp, reason, ok = nil, closeReason{kind: reasonHandlerPanic, err: fmt.Errorf("panic: %v", r)}, false
		}
	}()
	resp, err := c.srv.handler.Handle(c.handlerCtx, req)
	if err != nil {
		c.log.Info("closing connection: handler error", "key", req.Key, "version", req.Version, "client_id", req.ClientID, "err", err)
		resp.release()
		return nil, closeReason{kind: reasonHandlerError, err: err}, false
	}
	if resp == nil {
		resp = &Response{}
	}
	return resp, closeReason{}, true
}

// enqueue hands a pending response to the writer, blocking while the queue is
// full; false when the connection closed meanwhile. The request was counted
// in flight when it was read.
func (c *conn) enqueue(p *pending) bool {
	select {
	case c.queue <- p:
		return true
	case <-c.ctx.Done():
		c.inFlight.Add(-1)
		p.resp.release()
		return false
	}
}
