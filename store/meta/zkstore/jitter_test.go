package zkstore

import (
	"net"
	"testing"
	"time"
)

// TestReconnectJitter: the first dial goes at once, every later one after
// a pause below the bound, and the pauses differ.
func TestReconnectJitter(t *testing.T) {
	var pauses []time.Duration
	dials := 0
	dial := reconnectJitter(func(string, string, time.Duration) (net.Conn, error) {
		dials++
		return nil, net.ErrClosed
	}, time.Second, func(d time.Duration) { pauses = append(pauses, d) })
	for range 20 {
		_, _ = dial("tcp", "127.0.0.1:2181", time.Second)
	}
	if dials != 20 || len(pauses) != 19 {
		t.Fatalf("%d dials, %d pauses; want 20 and 19 (none before the first)", dials, len(pauses))
	}
	distinct := map[time.Duration]bool{}
	for _, p := range pauses {
		if p < 0 || p >= time.Second {
			t.Fatalf("pause %v outside [0, 1s)", p)
		}
		distinct[p] = true
	}
	if len(distinct) < 10 {
		t.Fatalf("only %d distinct pauses in 19: not random", len(distinct))
	}
}
