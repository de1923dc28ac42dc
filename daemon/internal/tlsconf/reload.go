package tlsconf

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"reflect"
	"sync"
	"time"

	"github.com/kqhq/kq/daemon/config"
	"github.com/kqhq/kq/store/keystore"
)

// DefaultCheckInterval is how often, at most, a Reloader looks at its files.
const DefaultCheckInterval = time.Second

// Reloader keeps a TLS configuration current with its settings and files.
type Reloader struct {
	source  func() config.ListenerSSL
	needKey bool
	log     *slog.Logger
	// CheckInterval bounds how often files are stat'ed; 0 checks on every
	// connection.
	CheckInterval time.Duration

	mu      sync.Mutex
	current *built
	server  *tls.Config // of current; nil for client Reloaders
	stamps  []stamp
	checked time.Time
}

// stamp identifies a version of a file cheaply.
type stamp struct {
	path    string
	modTime time.Time
	size    int64
}

// NewServer builds the listener configuration from source (called again at
// every check, so that dynamic config changes are seen) and fails if it
// cannot: a listener must not start without its certificate.
func NewServer(source func() config.ListenerSSL, log *slog.Logger) (*Reloader, error) {
	return newReloader(source, true, log)
}

// NewClient builds the configuration this broker uses to connect to other
// brokers; a key store is optional (it is the client certificate).
func NewClient(source func() config.ListenerSSL, log *slog.Logger) (*Reloader, error) {
	return newReloader(source, false, log)
}

func newReloader(source func() config.ListenerSSL, needKey bool, log *slog.Logger) (*Reloader, error) {
	r := &Reloader{source: source, needKey: needKey, log: log, CheckInterval: DefaultCheckInterval}
	s := source()
	if err := r.rebuild(s, stampsOf(s)); err != nil {
		return nil, err
	}
	r.checked = time.Now()
	return r, nil
}

// ServerConfig is the listener's configuration: every handshake asks the
// Reloader for the current one.
func (r *Reloader) ServerConfig() *tls.Config {
	return &tls.Config{GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) {
		r.check()
		r.mu.Lock()
		defer r.mu.Unlock()
		return r.server, nil
	}}
}

// ClientConfig is the configuration for connecting to a broker: the client
// certificate and the verification of the server follow reloads.
// Verification is done in VerifyConnection so that the trust store in use
// is the current one and ssl.endpoint.identification.algorithm="" can skip
// only the host name check.
func (r *Reloader) ClientConfig() *tls.Config {
	r.mu.Lock()
	c := r.current.common()
	r.mu.Unlock()
	c.InsecureSkipVerify = true // replaced by VerifyConnection, which checks the chain
	c.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
		r.check()
		r.mu.Lock()
		defer r.mu.Unlock()
		cert := r.current.cert
		return &cert, nil
	}
	c.VerifyConnection = func(cs tls.ConnectionState) error {
		r.check()
		r.mu.Lock()
		b := r.current
		r.mu.Unlock()
		return b.verifyServer(cs)
	}
	return c
}

// verifyServer checks the server's chain against the trust store and,
// with endpoint identification "https", its host name.
func (b *built) verifyServer(cs tls.ConnectionState) error {
	if len(cs.PeerCertificates) == 0 {
		return errors.New("the server presented no certificate")
	}
	opts := x509.VerifyOptions{Roots: b.roots, Intermediates: x509.NewCertPool()}
	for _, c := range cs.PeerCertificates[1:] {
		opts.Intermediates.AddCert(c)
	}
	if b.ssl.EndpointIdentification != "" {
		opts.DNSName = cs.ServerName
	}
	if _, err := cs.PeerCertificates[0].Verify(opts); err != nil {
		return fmt.Errorf("verify broker certificate: %w", err)
	}
	return nil
}

// check rebuilds when the settings or the files changed since the last
// build; at most once per CheckInterval.
func (r *Reloader) check() {
	r.mu.Lock()
	if time.Since(r.checked) < r.CheckInterval {
		r.mu.Unlock()
		return
	}
	r.checked = time.Now()
	cur, oldStamps := r.current.ssl, r.stamps
	r.mu.Unlock()
	s := r.source()
	stamps := stampsOf(s)
	if reflect.DeepEqual(cur, s) && reflect.DeepEqual(stamps, oldStamps) {
		return
	}
	if err := r.rebuild(s, stamps); err != nil {
		r.log.Warn("TLS configuration not reloaded; keeping the previous one", "err", err)
		return
	}
	r.log.Info("TLS configuration reloaded", "files", keystore.Files(s.KeyStore, s.TrustStore))
}

func (r *Reloader) rebuild(s config.ListenerSSL, stamps []stamp) error {
	b, err := build(s, r.needKey)
	if err != nil {
		return err
	}
	var server *tls.Config
	if r.needKey {
		if server, err = b.serverConfig(); err != nil {
			return err
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.current, r.server, r.stamps = b, server, stamps
	return nil
}

// stampsOf stats the store files; a missing file stamps as zero, so its
// reappearance is a change.
func stampsOf(s config.ListenerSSL) []stamp {
	var out []stamp
	for _, p := range keystore.Files(s.KeyStore, s.TrustStore) {
		st := stamp{path: p}
		if fi, err := os.Stat(p); err == nil {
			st.modTime, st.size = fi.ModTime(), fi.Size()
		}
		out = append(out, st)
	}
	return out
}
