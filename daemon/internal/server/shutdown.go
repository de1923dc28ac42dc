package server

import (
	"context"
	"fmt"
)

// Shutdown stops accepting, lets every connection finish the requests it has
// read (their responses are written, Ready waits included) and closes it. New
// requests are not read. When ctx ends first, the remaining connections are
// closed at once and ctx's error is returned. Shutdown returns after every
// goroutine the server started has ended.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	conns := s.snapshotConnsLocked()
	s.mu.Unlock()

	s.closeListeners()
	for _, c := range conns {
		c.drain()
	}
	all := make(chan struct{})
	go func() { // ends with the WaitGroup, which it waits for
		s.wg.Wait()
		close(all)
	}()
	select {
	case <-all:
		return nil
	case <-ctx.Done():
	}
	s.mu.Lock()
	conns = s.snapshotConnsLocked()
	s.mu.Unlock()
	for _, c := range conns {
		c.close(closeReason{kind: reasonShutdownTimeout})
	}
	<-all
	return fmt.Errorf("shutdown: %w", ctx.Err())
}

func (s *Server) snapshotConnsLocked() []*conn {
	conns := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	return conns
}
