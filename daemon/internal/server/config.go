package server

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kqhq/kq/daemon/internal/sasl"
)

// Kafka's defaults for the settings this package serves.
const (
	// DefaultMaxRequestSize is socket.request.max.bytes.
	DefaultMaxRequestSize = 100 * 1024 * 1024
	// DefaultIdleTimeout is connections.max.idle.ms.
	DefaultIdleTimeout = 10 * time.Minute
	// MaxInFlightPerConn bounds the requests of one connection that have been
	// read but whose responses are not yet written. Kafka reads one request per
	// connection at a time; franz-go pipelines, and a small bound keeps most of
	// that benefit while a slow reader of responses cannot make the broker
	// buffer without limit.
	MaxInFlightPerConn = 16
	// DefaultQueuedMaxRequests is queued.max.requests.
	DefaultQueuedMaxRequests = 500
)

// Kafka's security protocol names, as ConnInfo.SecurityProtocol reports them.
const (
	ProtocolPlaintext     = "PLAINTEXT"
	ProtocolSSL           = "SSL"
	ProtocolSASLPlaintext = "SASL_PLAINTEXT"
	ProtocolSASLSSL       = "SASL_SSL"
)

// AnonymousPrincipal is Kafka's principal for a connection that has not
// authenticated: PLAINTEXT, and SSL without a client certificate.
const AnonymousPrincipal = "User:ANONYMOUS"

// Listener is one named socket the broker accepts connections on.
type Listener struct {
	Name    string // Kafka listener name, e.g. "PLAINTEXT"
	Address string // "host:port"; port 0 picks a free port (see Server.Addrs)
	// SecurityProtocol is one of the Protocol* names; "" means PLAINTEXT.
	SecurityProtocol string
	// SASL authenticates the connections of a SASL_PLAINTEXT or SASL_SSL
	// listener (see sasl_conn.go); required for those, unused otherwise.
	SASL *sasl.Listener
	// TLS is required for SSL and SASL_SSL and ignored otherwise. To change
	// certificates without a restart, set GetConfigForClient: the server
	// calls it for every handshake.
	TLS *tls.Config
	// SSLPrincipal maps a verified client certificate to the connection's
	// principal on SSL listeners ("User:NAME", ssl.principal.mapping.rules);
	// nil uses DefaultSSLPrincipal. An error fails the connection, as
	// Kafka's NoMatchingRule does. On SASL_SSL the certificate is checked
	// but SASL names the principal.
	SSLPrincipal func(cert *x509.Certificate) (string, error)
}

// protocol returns the listener's security protocol with the default applied.
func (l Listener) protocol() string {
	if l.SecurityProtocol == "" {
		return ProtocolPlaintext
	}
	return l.SecurityProtocol
}

// usesTLS reports whether connections on the listener start with a TLS handshake.
func (l Listener) usesTLS() bool {
	p := l.protocol()
	return p == ProtocolSSL || p == ProtocolSASLSSL
}

// Config is the network layer's share of the broker configuration.
type Config struct {
	Listeners []Listener

	// MaxRequestSize is socket.request.max.bytes: a larger size prefix closes
	// the connection. 0 means DefaultMaxRequestSize.
	MaxRequestSize int32
	// MaxConnections is max.connections: when reached, accepting waits for a
	// connection to close, as Kafka's acceptor does. 0 means unlimited.
	MaxConnections int
	// IdleTimeout is connections.max.idle.ms: a connection with nothing read
	// and nothing in flight for this long is closed. 0 means
	// DefaultIdleTimeout; negative means never.
	IdleTimeout time.Duration
	// SendBuffer and ReceiveBuffer are socket.send.buffer.bytes and
	// socket.receive.buffer.bytes; 0 or negative keeps the OS default (Kafka's -1).
	SendBuffer, ReceiveBuffer int

	// QueuedMaxRequests is queued.max.requests: requests read but not yet
	// taken by the Handler, over all connections, before readers stop
	// reading. 0 means DefaultQueuedMaxRequests.
	QueuedMaxRequests int

	// FailedAuthenticationDelay is connection.failed.authentication.delay.ms:
	// a failed SASL authentication's answer and close wait this long, which
	// slows password guessing. 0: no delay.
	FailedAuthenticationDelay time.Duration
	// SASLMaxReceiveSize is sasl.server.max.receive.size: a larger frame
	// before authentication closes the connection. 0 means
	// DefaultSASLMaxReceiveSize.
	SASLMaxReceiveSize int32

	// Logger receives connection events; nil discards them.
	Logger *slog.Logger
	// Metrics, when set, registers the server's collectors (connections,
	// requests by API, bytes in and out, request latency).
	Metrics prometheus.Registerer
	// RequestTimes, when set, is told each request's API and its time from
	// arrival to response written (Kafka's RequestMetrics TotalTimeMs).
	RequestTimes RequestObserver
}

// RequestObserver receives the time each request took; it is called on
// the request path, once per request, and must be cheap. fromFollower
// marks a Fetch sent by a replica (Kafka times those as FetchFollower,
// consumers' as FetchConsumer).
type RequestObserver interface {
	Observe(key int16, fromFollower bool, d time.Duration)
}

// withDefaults returns a copy of cfg with zero values replaced by Kafka's defaults.
func (cfg Config) withDefaults() Config {
	if cfg.MaxRequestSize == 0 {
		cfg.MaxRequestSize = DefaultMaxRequestSize
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.QueuedMaxRequests == 0 {
		cfg.QueuedMaxRequests = DefaultQueuedMaxRequests
	}
	if cfg.SASLMaxReceiveSize == 0 {
		cfg.SASLMaxReceiveSize = DefaultSASLMaxReceiveSize
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return cfg
}

func (cfg Config) validate() error {
	if len(cfg.Listeners) == 0 {
		return errors.New("no listeners configured")
	}
	if cfg.MaxRequestSize < 0 {
		return fmt.Errorf("max request size %d is negative", cfg.MaxRequestSize)
	}
	if cfg.QueuedMaxRequests < 0 {
		return fmt.Errorf("queued max requests %d is negative", cfg.QueuedMaxRequests)
	}
	if cfg.MaxConnections < 0 {
		return fmt.Errorf("max connections %d is negative", cfg.MaxConnections)
	}
	seen := make(map[string]bool, len(cfg.Listeners))
	for _, l := range cfg.Listeners {
		if l.Name == "" || l.Address == "" {
			return fmt.Errorf("listener %q at %q: name and address are required", l.Name, l.Address)
		}
		if l.isSASL() && l.SASL == nil {
			return fmt.Errorf("listener %s is %s but has no SASL configuration", l.Name, l.SecurityProtocol)
		}
		if seen[l.Name] {
			return fmt.Errorf("listener name %q is used twice", l.Name)
		}
		seen[l.Name] = true
		if err := l.validateSecurity(); err != nil {
			return err
		}
	}
	return nil
}

func (l Listener) validateSecurity() error {
	switch l.protocol() {
	case ProtocolPlaintext, ProtocolSASLPlaintext:
		return nil
	case ProtocolSSL, ProtocolSASLSSL:
		if l.TLS == nil {
			return fmt.Errorf("listener %s: security protocol %s needs a TLS configuration", l.Name, l.protocol())
		}
		return nil
	}
	return fmt.Errorf("listener %s: unknown security protocol %q", l.Name, l.SecurityProtocol)
}
