package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
)

// ErrServerClosed is returned by Listen and Serve after Shutdown.
var ErrServerClosed = errors.New("server closed")

// Server accepts Kafka protocol connections on its listeners and hands each
// request to its Handler.
type Server struct {
	cfg     Config
	handler Handler
	log     *slog.Logger
	metrics *metrics
	slots   chan struct{} // one token per open connection; nil when unlimited
	frames  *framePool
	queued  requestSlots

	mu          sync.Mutex
	listeners   []boundListener
	stopAccept  chan struct{} // closed when the listeners are closed
	listenersUp bool
	conns       map[*conn]struct{}
	closing     bool

	wg     sync.WaitGroup // every goroutine the server starts
	nextID atomic.Uint64
}

type boundListener struct {
	Listener
	ln net.Listener
}

// New validates cfg (zero values take Kafka's defaults) and registers the
// metrics. It opens no sockets: see Listen and Serve.
func New(cfg Config, h Handler) (*Server, error) {
	if h == nil {
		return nil, errors.New("new server: nil handler")
	}
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("new server: %w", err)
	}
	m, err := newMetrics(cfg.Metrics)
	if err != nil {
		return nil, fmt.Errorf("new server: %w", err)
	}
	m.times = cfg.RequestTimes
	s := &Server{
		cfg:        cfg,
		handler:    h,
		log:        cfg.Logger,
		metrics:    m,
		frames:     newFramePool(),
		queued:     newRequestSlots(cfg.QueuedMaxRequests),
		stopAccept: make(chan struct{}),
		conns:      make(map[*conn]struct{}),
	}
	if cfg.MaxConnections > 0 {
		s.slots = make(chan struct{}, cfg.MaxConnections)
	}
	return s, nil
}

// Listen binds every listener, so the caller learns bind errors before
// serving. If one fails, those already bound are closed again.
func (s *Server) Listen() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return ErrServerClosed
	}
	if s.listenersUp {
		return errors.New("listen: already listening")
	}
	var lc net.ListenConfig
	for _, l := range s.cfg.Listeners {
		ln, err := lc.Listen(context.Background(), "tcp", l.Address)
		if err != nil {
			for _, b := range s.listeners {
				_ = b.ln.Close() // best effort: the bind error is the one to report
			}
			s.listeners = nil
			return fmt.Errorf("listen %s on %s: %w", l.Name, l.Address, err)
		}
		s.listeners = append(s.listeners, boundListener{Listener: l, ln: ln})
	}
	s.listenersUp = true
	return nil
}

// Addrs returns the bound address of each listener, in configuration order:
// the actual ports when configured with port 0. Empty before Listen.
func (s *Server) Addrs() []net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	addrs := make([]net.Addr, len(s.listeners))
	for i, b := range s.listeners {
		addrs[i] = b.ln.Addr()
	}
	return addrs
}

// closeListeners stops accepting; safe to call more than once.
func (s *Server) closeListeners() {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.stopAccept:
		return
	default:
	}
	close(s.stopAccept)
	for _, b := range s.listeners {
		if err := b.ln.Close(); err != nil {
			s.log.Debug("close listener", "listener", b.Name, "err", err)
		}
	}
}
