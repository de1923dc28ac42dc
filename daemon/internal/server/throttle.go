package server

import (
	"sync"
	"sync/atomic"
	"time"
)

// Client quota throttling, as Kafka's KIP-219: a throttled response is sent
// at once, carrying throttle_time_ms, and the connection is then muted for
// that long: nothing more is read from it, so the client's next requests
// wait in its socket, and a request read before the mute began (pipelined)
// is handled only once it ends.

// throttler is a connection's mute state: written by the writer, read by
// the reader.
type throttler struct {
	until    atomic.Int64 // unix nanoseconds the mute lasts to; 0: not muted
	wakeOnce sync.Once
	wake     chan struct{} // closed by a drain, so a muted reader stops waiting
}

func newThrottler() *throttler { return &throttler{wake: make(chan struct{})} }

// throttleResponse is what a response with a throttle time offers: every
// kmsg response with a throttle_time_ms field.
type throttleResponse interface {
	Throttle() (int32, bool)
	SetThrottle(int32)
}

// applyThrottle writes a response's Throttle into its throttle_time_ms,
// keeping a longer one the handler set itself.
func applyThrottle(resp *Response) {
	if resp.Throttle <= 0 || resp.Msg == nil {
		return
	}
	tr, ok := resp.Msg.(throttleResponse)
	if !ok {
		return
	}
	ms := int32(min(resp.Throttle.Milliseconds(), int64(1<<31-1)))
	if cur, _ := tr.Throttle(); cur < ms {
		tr.SetThrottle(ms)
	}
}

// muteAfter mutes the connection for a response's Throttle, counted from
// now (the response was just written). A later end never shortens a mute.
func (c *conn) muteAfter(resp *Response) {
	if resp.Throttle <= 0 {
		return
	}
	end := time.Now().Add(resp.Throttle).UnixNano()
	for {
		cur := c.throttle.until.Load()
		if cur >= end || c.throttle.until.CompareAndSwap(cur, end) {
			return
		}
	}
}

// awaitUnmuted blocks the reader, and the handling goroutine, while the
// connection is muted. False when
// the connection closed meanwhile; a drain ends the wait early (the reader
// then stops for the drain).
func (c *conn) awaitUnmuted() bool {
	for {
		wait := time.Until(time.Unix(0, c.throttle.until.Load()))
		if wait <= 0 {
			return true
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-c.throttle.wake:
			t.Stop()
			return true
		case <-c.ctx.Done():
			t.Stop()
			return false
		}
	}
}

// wakeMuted ends a muted reader's wait, for a drain.
func (c *conn) wakeMuted() {
	c.throttle.wakeOnce.Do(func() { close(c.throttle.wake) })
}
