package harness

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
)

// TLSProxy terminates TLS in front of a plaintext address, so client TLS
// settings can be tested against any broker. Its TLS configuration can be
// swapped between connections.
type TLSProxy struct {
	Addr   string
	config atomic.Pointer[tls.Config]
	ln     net.Listener
	wg     sync.WaitGroup
}

// StartTLSProxy listens on a free loopback port and forwards each
// connection, once its handshake is done, to target (set later with
// SetTarget when the broker must know the proxy's port first).
func StartTLSProxy(t testing.TB, config *tls.Config) *TLSProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &TLSProxy{Addr: ln.Addr().String(), ln: ln}
	p.config.Store(config)
	t.Cleanup(func() {
		ln.Close()
		p.wg.Wait()
	})
	return p
}

// SetConfig replaces the TLS configuration for new connections.
func (p *TLSProxy) SetConfig(c *tls.Config) { p.config.Store(c) }

// Serve forwards connections to target until the test ends.
func (p *TLSProxy) Serve(target string) {
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			raw, err := p.ln.Accept()
			if errors.Is(err, net.ErrClosed) {
				return
			}
			if err != nil {
				continue
			}
			p.wg.Add(1)
			go func() {
				defer p.wg.Done()
				p.forward(tls.Server(raw, p.config.Load()), target)
			}()
		}
	}()
}

// forward copies both ways until either side closes; a failed handshake
// just closes the client's connection, as a broker does.
func (p *TLSProxy) forward(client *tls.Conn, target string) {
	defer client.Close()
	if err := client.Handshake(); err != nil {
		return
	}
	upstream, err := net.Dial("tcp", target)
	if err != nil {
		return
	}
	defer upstream.Close()
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(upstream, client); done <- struct{}{} }()
	go func() { _, _ = io.Copy(client, upstream); done <- struct{}{} }()
	<-done
}
