package server

import (
	"errors"
	"fmt"
	"runtime/debug"
)

// maxKeptEncodeBuffer caps the encoding buffer a connection keeps between
// responses, so one large in-memory response does not pin memory forever.
const maxKeptEncodeBuffer = 1 << 20

// smallRegion is the largest file region read into the write buffer rather
// than sent with sendfile: below it, the extra flush and syscall cost more
// than the copy. It must not exceed writeBufferSize.
const smallRegion = 8 * 1024

// writeLoop writes responses in request order. Small responses are coalesced
// in the buffered writer, which is flushed whenever no further response is
// queued or the next one is not ready yet.
func (c *conn) writeLoop() {
	for p := range c.queue {
		if !c.awaitReady(p) {
			c.finish(p)
			c.dropQueued()
			return
		}
		applyThrottle(p.resp)
		err := c.writeResponse(p)
		c.muteAfter(p.resp)
		c.finish(p)
		if err == nil && len(c.queue) == 0 {
			err = c.flush()
		}
		if err != nil {
			c.close(*err)
			c.dropQueued()
			return
		}
	}
	if err := c.flush(); err != nil {
		c.close(*err)
	}
}

// finish releases a response and counts it out of flight.
func (c *conn) finish(p *pending) {
	p.resp.release()
	c.inFlight.Add(-1)
}

// dropQueued releases what the reader still queues after the connection
// closed, until the reader notices and closes the queue.
func (c *conn) dropQueued() {
	for p := range c.queue {
		c.finish(p)
	}
}

// awaitReady waits for a response's Ready, flushing earlier responses first
// so they do not wait behind it. False when the connection closed meanwhile.
func (c *conn) awaitReady(p *pending) bool {
	ready := p.resp.Ready
	if ready == nil {
		return true
	}
	select {
	case <-ready:
		return true
	default:
	}
	if err := c.flush(); err != nil {
		c.close(*err)
		return false
	}
	select {
	case <-ready:
		return true
	case <-c.ctx.Done():
		return false
	}
}

func (c *conn) flush() *closeReason {
	if err := c.bw.Flush(); err != nil {
		return &closeReason{kind: reasonWriteError, err: fmt.Errorf("flush responses: %w", err)}
	}
	return nil
}

// writeResponse encodes one response and writes it, file regions included.
func (c *conn) writeResponse(p *pending) *closeReason {
	defer c.srv.metrics.observeLatency(p.key, p.follower, p.arrived)
	if p.resp.Msg == nil {
		return nil // acks=0 produce: Kafka sends nothing
	}
	enc, reason := c.encode(p)
	if reason != nil {
		return reason
	}
	n, err := c.writeParts(enc.parts)
	c.srv.metrics.bytesOut.Add(float64(n))
	if cap(c.wbuf) > maxKeptEncodeBuffer {
		c.wbuf = nil
	}
	if errors.Is(err, errRegionTruncated) || errors.Is(err, errRegionUnreadable) {
		return &closeReason{kind: reasonResponseError, err: err}
	}
	if err != nil {
		return &closeReason{kind: reasonWriteError, err: err}
	}
	return nil
}

// writeParts writes bytes through the buffered writer and file regions
// straight to the socket after flushing what precedes them.
func (c *conn) writeParts(parts []part) (int64, error) {
	var total int64
	for _, p := range parts {
		if p.file == nil {
			n, err := c.bw.Write(p.data)
			total += int64(n)
			if err != nil {
				return total, fmt.Errorf("write response: %w", err)
			}
			continue
		}
		if p.file.Len <= smallRegion {
			if err := c.bufferRegion(p.file.FileRegion); err != nil {
				return total, err
			}
			total += int64(p.file.Len)
			continue
		}
		if err := c.bw.Flush(); err != nil {
			return total, fmt.Errorf("flush before file region: %w", err)
		}
		n, viaSendfile, err := sendRegion(c.nc, p.file.FileRegion, c.scratchBuffer)
		total += n
		if viaSendfile {
			c.srv.metrics.sendfileBytes.Add(float64(n))
		}
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// bufferRegion preads a small region straight into the buffered writer, so it
// travels with the bytes around it instead of costing a flush and a sendfile.
func (c *conn) bufferRegion(fr FileRegion) error {
	if c.bw.Available() < int(fr.Len) {
		if err := c.bw.Flush(); err != nil {
			return fmt.Errorf("flush before file region: %w", err)
		}
	}
	buf := c.bw.AvailableBuffer()[:fr.Len]
	if n, err := fr.File.ReadAt(buf, fr.Pos); n < len(buf) {
		return regionReadError(fr, fr.Pos, len(buf), err)
	}
	if _, err := c.bw.Write(buf); err != nil {
		return fmt.Errorf("write file region: %w", err)
	}
	return nil
}

// scratchBuffer is the region copy buffer, allocated only if a region is ever
// copied rather than sent with sendfile.
func (c *conn) scratchBuffer() []byte {
	if c.scratch == nil {
		c.scratch = make([]byte, copyChunk)
	}
	return c.scratch
}

// encode turns a pending response into frame parts, recovering a panic in
// kmsg's encoder (a handler can build a message kmsg cannot encode).
func (c *conn) encode(p *pending) (enc encoded, reason *closeReason) {
	defer func() {
		if r := recover(); r != nil {
			c.log.Error("response encoding panic; closing connection", "key", p.key, "panic", r, "stack", string(debug.Stack()))
			reason = &closeReason{kind: reasonResponseError, err: fmt.Errorf("encode panic: %v", r)}
		}
	}()
	msg := p.resp.Msg
	if msg.Key() != p.key {
		return encoded{}, &closeReason{kind: reasonResponseError,
			err: fmt.Errorf("handler answered a key %d request with a key %d response", p.key, msg.Key())}
	}
	msg.SetVersion(p.version)
	var err error
	c.wbuf, enc, err = encodeResponse(c.wbuf, p.correlation, msg, p.resp.files)
	if err != nil {
		return encoded{}, &closeReason{kind: reasonResponseError, err: fmt.Errorf("encode key %d response: %w", p.key, err)}
	}
	if enc.materialized {
		c.log.Warn("file region placeholder not in a bytes field; sent the region from memory", "key", p.key)
	}
	if enc.unused > 0 {
		c.log.Debug("attached file regions not used by the response", "key", p.key, "unused", enc.unused)
	}
	return enc, nil
}
