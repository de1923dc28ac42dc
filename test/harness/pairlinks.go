package harness

import (
	"io"
	"net"
	"sync"
	"testing"
)

// PairLinks sits in front of one server and sends each connection through
// a FaultProxy of its own per connecting process: the link from broker A
// to broker B can be cut while C still reaches B, which one proxy per
// server cannot do (every broker dials the address B advertises). The
// connecting process is found from the socket (/proc on Linux); a
// connection whose process cannot be told goes through Others.
type PairLinks struct {
	t      testing.TB
	ln     net.Listener
	target string

	mu     sync.Mutex
	byPid  map[int]*FaultProxy
	others *FaultProxy
}

// StartPairLinks listens on a free loopback port and forwards to target
// until the test ends.
func StartPairLinks(t testing.TB, target string) *PairLinks {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("pair links: %v", err)
	}
	l := &PairLinks{t: t, ln: ln, target: target, byPid: map[int]*FaultProxy{}, others: StartProxy(t, target)}
	go l.accept()
	t.Cleanup(func() { ln.Close() })
	return l
}

// Addr is the address to advertise instead of target's.
func (l *PairLinks) Addr() string { return l.ln.Addr().String() }

// From returns the link from process pid (Broker.Pid) to the server,
// creating it if that process has not connected yet.
func (l *PairLinks) From(pid int) *FaultProxy {
	l.mu.Lock()
	defer l.mu.Unlock()
	p, ok := l.byPid[pid]
	if !ok {
		p = StartProxy(l.t, l.target)
		l.byPid[pid] = p
	}
	return p
}

// Others is the link of every connection whose process is unknown.
func (l *PairLinks) Others() *FaultProxy { return l.others }

func (l *PairLinks) accept() {
	for {
		c, err := l.ln.Accept()
		if err != nil {
			return // closed at the end of the test
		}
		go l.forward(c)
	}
}

// forward relays one connection through its process's link.
func (l *PairLinks) forward(c net.Conn) {
	link := l.others
	if pid := peerPid(c); pid != 0 {
		link = l.From(pid)
	}
	up, err := net.Dial("tcp", link.Addr())
	if err != nil {
		c.Close()
		return
	}
	done := make(chan struct{}, 2)
	relay := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src) // the FaultProxy behind injects the faults; this only relays
		dst.Close()
		src.Close()
		done <- struct{}{}
	}
	go relay(up, c)
	go relay(c, up)
	<-done
	<-done
}
