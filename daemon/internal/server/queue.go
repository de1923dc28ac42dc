package server

// requestSlots bounds the requests the broker has read but not yet begun
// to handle, over all connections: Kafka's queued.max.requests, the queue
// between its network and I/O threads. When none is free, readers stop
// reading and TCP pushes back on clients. A request gives its slot back
// when its Handle call begins, not when its response is written, so
// requests in a Handler, waiting for acks or long polls never keep others
// (a follower's fetch that would complete them) from being read.
type requestSlots chan struct{}

func newRequestSlots(n int) requestSlots { return make(requestSlots, n) }

// acquire takes a slot, waiting while none is free; false when done
// closed first.
func (s requestSlots) acquire(done <-chan struct{}) bool {
	select {
	case s <- struct{}{}:
		return true
	case <-done:
		return false
	}
}

// QueuedRequests is the number of requests read and not yet taken by the
// Handler (Kafka's RequestQueueSize).
func (s *Server) QueuedRequests() int { return len(s.queued) }

// release gives a slot back.
func (s requestSlots) release() { <-s }
