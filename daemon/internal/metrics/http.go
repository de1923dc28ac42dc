package metrics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Readiness returns what keeps the broker from being ready, one reason a
// line; none means ready.
type Readiness func() []string

// Handler serves /metrics from g, /healthz (the process answers) and
// /readyz (ready() finds nothing missing).
func Handler(g prometheus.Gatherer, ready Readiness) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(g, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if missing := ready(); len(missing) > 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintf(w, "not ready:\n%s\n", strings.Join(missing, "\n"))
			return
		}
		fmt.Fprintln(w, "ready")
	})
	return mux
}

// Server is the broker's HTTP endpoint for metrics and health.
type Server struct {
	srv  *http.Server
	addr net.Addr
	done chan struct{}
}

// Listen binds addr, so a taken address fails the broker's start, and
// serves h on it until Close.
func Listen(addr string, h http.Handler, log *slog.Logger) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("kq.metrics.listener: %w", err)
	}
	s := &Server{srv: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}, addr: ln.Addr(), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics endpoint stopped", "addr", addr, "err", err)
		}
	}()
	log.Info("serving /metrics, /healthz and /readyz", "addr", ln.Addr().String())
	return s, nil
}

// Addr is the address bound.
func (s *Server) Addr() net.Addr { return s.addr }

// closeWait bounds how long Close waits for scrapes in progress.
const closeWait = 5 * time.Second

// Close stops serving and waits for the scrapes in progress (up to
// closeWait), since they read parts of the broker about to close.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), closeWait)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if err != nil {
		err = errors.Join(err, s.srv.Close())
	}
	<-s.done
	return err
}
