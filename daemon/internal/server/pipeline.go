package server

import "time"

// A connection's requests pass three goroutines in order: the reader reads
// and decodes frames, the handling goroutine calls the Handler (a produce
// appends there), the writer writes responses. The reader so reads and
// decodes the next requests while earlier produces are appended, and the
// order of requests, of their effects and of responses is the connection's
// order, since each stage is one goroutine taking its input in order.

// inbound is a request the reader decoded, on its way to the Handler.
type inbound struct {
	frame   *frameBuf // the request's bytes; nil for answer
	req     *Request
	arrived time.Time
	// answer is set instead of req when the server answers by itself
	// (an unsupported ApiVersions version).
	answer *pending
}

// readLoop reads, decodes and handles requests until the connection ends,
// and returns why it ended.
func (c *conn) readLoop() closeReason {
	inbox := make(chan inbound, MaxInFlightPerConn)
	handled := make(chan closeReason, 1)
	go func() { handled <- c.handleLoop(inbox) }()
	reason := c.readRequests(inbox)
	close(inbox)
	if r := <-handled; r.kind != "" {
		return r
	}
	return reason
}

// readRequests reads and decodes requests into inbox until the connection
// ends, and returns why it ended. A request takes one of the broker's
// queued.max.requests slots until the handling goroutine takes it.
func (c *conn) readRequests(inbox chan<- inbound) closeReason {
	for {
		if !c.awaitUnmuted() {
			return closeReason{kind: reasonAlreadyClosed}
		}
		frame, err := c.readFrame()
		if err != nil {
			return c.readFailure(err)
		}
		in, reason, ok := c.decode(frame.b)
		if !ok {
			c.srv.frames.put(frame)
			return reason
		}
		in.frame = frame
		if !c.srv.queued.acquire(c.ctx.Done()) {
			c.srv.frames.put(frame)
			return closeReason{kind: reasonAlreadyClosed}
		}
		c.inFlight.Add(1)
		inbox <- in // never blocks for long: handleLoop drains it even after failing
	}
}

// handleLoop calls the Handler for each request of inbox, in order, and
// queues the responses for the writer. When a request closes the
// connection it closes it at once, and drains inbox so the reader never
// blocks on it.
func (c *conn) handleLoop(inbox <-chan inbound) closeReason {
	defer func() {
		for in := range inbox {
			c.discard(in)
		}
	}()
	for in := range inbox {
		c.srv.queued.release()
		if !c.awaitUnmuted() { // a request read before the mute began
			c.inFlight.Add(-1)
			c.srv.frames.put(in.frame)
			return closeReason{kind: reasonAlreadyClosed}
		}
		p, reason, ok := c.dispatch(in)
		if !ok {
			c.inFlight.Add(-1)
			c.close(reason)
			return reason
		}
		if p.resp.FrameDone {
			c.srv.frames.put(in.frame)
		}
		if !c.enqueue(p) {
			return closeReason{kind: reasonAlreadyClosed}
		}
		if p.last { // write what is owed, this answer included, then close
			c.drain()
			return closeReason{kind: reasonAuthentication}
		}
	}
	return closeReason{}
}

// discard drops a request read but never handled.
func (c *conn) discard(in inbound) {
	c.srv.queued.release()
	c.inFlight.Add(-1)
	c.srv.frames.put(in.frame)
}
