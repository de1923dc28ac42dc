package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"syscall"
	"time"
)

// Accept back-off bounds for temporary errors such as running out of file
// descriptors: retrying at once would spin, giving up would end the broker.
const (
	minAcceptBackoff = 5 * time.Millisecond
	maxAcceptBackoff = time.Second
)

// Serve accepts connections on every listener (calling Listen first if
// needed) until ctx is done or Shutdown is called, then closes the listeners
// and returns nil. Open connections are not touched: Shutdown drains them. A
// listener failing with a non-temporary error stops all accepting and that
// error is returned. Serve is called at most once.
func (s *Server) Serve(ctx context.Context) error {
	s.mu.Lock()
	up := s.listenersUp
	s.mu.Unlock()
	if !up {
		if err := s.Listen(); err != nil {
			return err
		}
	}
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return ErrServerClosed
	}
	listeners := s.listeners
	s.wg.Add(len(listeners) + 1) // under mu, so Shutdown's Wait cannot start first
	s.mu.Unlock()

	errs := make(chan error, len(listeners))
	for _, b := range listeners {
		go func() {
			defer s.wg.Done()
			errs <- s.acceptLoop(b)
		}()
	}
	done := make(chan struct{})
	go func() {
		defer s.wg.Done()
		select {
		case <-ctx.Done():
		case <-done:
		}
		s.closeListeners()
	}()
	var first error
	for range listeners {
		if err := <-errs; err != nil && first == nil {
			first = err
			s.closeListeners()
		}
	}
	close(done)
	return first
}

// acceptLoop accepts on one listener until it is closed.
func (s *Server) acceptLoop(b boundListener) error {
	backoff := time.Duration(0)
	for {
		if !s.acquireSlot() {
			return nil
		}
		nc, err := b.ln.Accept()
		if err == nil {
			backoff = 0
			s.startConn(nc, b.Listener)
			continue
		}
		s.releaseSlot()
		if errors.Is(err, net.ErrClosed) {
			return nil
		}
		if !isTemporaryAcceptError(err) {
			return fmt.Errorf("accept on listener %s: %w", b.Name, err)
		}
		backoff = min(max(2*backoff, minAcceptBackoff), maxAcceptBackoff)
		s.log.Warn("accept failed, backing off", "listener", b.Name, "backoff", backoff, "err", err)
		if !s.pause(backoff) {
			return nil
		}
	}
}

// isTemporaryAcceptError reports errors that pass with time: resource
// exhaustion and aborted handshakes.
func isTemporaryAcceptError(err error) bool {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	for _, errno := range []syscall.Errno{syscall.EMFILE, syscall.ENFILE, syscall.ENOBUFS, syscall.ENOMEM, syscall.ECONNABORTED, syscall.EINTR} {
		if errors.Is(err, errno) {
			return true
		}
	}
	return false
}

// pause waits d, or less if accepting stops; it reports whether to go on.
func (s *Server) pause(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-s.stopAccept:
		return false
	}
}

// acquireSlot waits for room under MaxConnections, as Kafka's acceptor does
// for max.connections; false once accepting stops.
func (s *Server) acquireSlot() bool {
	if s.slots == nil {
		return true
	}
	select {
	case s.slots <- struct{}{}:
		return true
	case <-s.stopAccept:
		return false
	}
}

func (s *Server) releaseSlot() {
	if s.slots != nil {
		<-s.slots
	}
}
