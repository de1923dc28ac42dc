package harness

import (
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// Link is the state of a FaultProxy's link.
type Link int

const (
	// Open forwards bytes both ways.
	Open Link = iota
	// Blackholed stops forwarding without closing anything, as a network
	// that drops every packet: writes fill the socket buffers, reads wait,
	// and nothing is lost, so traffic resumes where it stopped on Heal
	// (TCP retransmits) unless a side gave up meanwhile. New connections
	// are accepted and wait too.
	Blackholed
	// Cut closes every connection and refuses new ones (accepted, then
	// closed at once), as a peer that reset.
	Cut
)

// FaultProxy is a TCP proxy between one kind of client and one server
// (a broker and ZooKeeper, a client and a broker) whose link a test can
// blackhole, cut, slow down and heal: network partitions without root.
type FaultProxy struct {
	t      testing.TB
	ln     net.Listener
	target string

	mu    sync.Mutex
	link  Link
	delay time.Duration
	open  chan struct{} // closed while the link is Open
	conns map[net.Conn]struct{}
}

// StartProxy listens on a free loopback port and forwards to target until
// the test ends.
func StartProxy(t testing.TB, target string) *FaultProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("fault proxy: %v", err)
	}
	p := &FaultProxy{t: t, ln: ln, target: target, open: make(chan struct{}), conns: map[net.Conn]struct{}{}}
	close(p.open)
	go p.accept()
	t.Cleanup(p.close)
	return p
}

// Addr is the proxy's host:port, to give the client instead of target's.
func (p *FaultProxy) Addr() string { return p.ln.Addr().String() }

// Blackhole stops the link (see Blackholed).
func (p *FaultProxy) Blackhole() { p.set(Blackholed) }

// Cut closes the link (see Cut).
func (p *FaultProxy) Cut() {
	p.set(Cut)
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		c.Close()
	}
}

// Heal opens the link again.
func (p *FaultProxy) Heal() { p.set(Open) }

// Delay holds every chunk of bytes for d before forwarding it (0: none).
func (p *FaultProxy) Delay(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.delay = d
}

func (p *FaultProxy) set(l Link) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case l == Open && p.link != Open:
		close(p.open)
	case l != Open && p.link == Open:
		p.open = make(chan struct{})
	}
	p.link = l
}

// state returns the link, the channel closed when it opens, and the delay.
func (p *FaultProxy) state() (Link, <-chan struct{}, time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.link, p.open, p.delay
}

func (p *FaultProxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return // closed at the end of the test
		}
		if link, _, _ := p.state(); link == Cut {
			c.Close()
			continue
		}
		go p.serve(c)
	}
}

func (p *FaultProxy) serve(client net.Conn) {
	if !p.waitOpen() {
		client.Close()
		return
	}
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		client.Close()
		return
	}
	if !p.track(client, server) {
		return
	}
	defer p.untrack(client, server)
	done := make(chan struct{}, 2)
	go func() { p.pipe(server, client); done <- struct{}{} }()
	go func() { p.pipe(client, server); done <- struct{}{} }()
	<-done
	client.Close()
	server.Close()
	<-done
}

// waitOpen waits while the link is blackholed; false when it was cut.
func (p *FaultProxy) waitOpen() bool {
	for {
		link, open, _ := p.state()
		switch link {
		case Open:
			return true
		case Cut:
			return false
		}
		<-open
	}
}

// pipe copies src to dst chunk by chunk, holding each chunk while the
// link is blackholed and for the delay.
func (p *FaultProxy) pipe(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if !p.waitOpen() {
				return
			}
			if _, _, d := p.state(); d > 0 {
				time.Sleep(d) // the injected latency itself
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				return
			}
			if tc, ok := dst.(*net.TCPConn); ok {
				_ = tc.CloseWrite() // pass the half-close on
			}
			return
		}
	}
}

func (p *FaultProxy) track(cs ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.link == Cut {
		for _, c := range cs {
			c.Close()
		}
		return false
	}
	for _, c := range cs {
		p.conns[c] = struct{}{}
	}
	return true
}

func (p *FaultProxy) untrack(cs ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range cs {
		delete(p.conns, c)
	}
}

func (p *FaultProxy) close() {
	p.ln.Close()
	p.Cut()
}
