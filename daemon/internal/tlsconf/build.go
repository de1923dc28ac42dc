package tlsconf

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"

	"github.com/kqhq/kq/daemon/config"
)

// built is one configuration made from one version of the settings.
type built struct {
	cert  tls.Certificate
	roots *x509.CertPool // nil: the system's roots
	ssl   config.ListenerSSL
}

func build(s config.ListenerSSL, needKey bool) (*built, error) {
	b := &built{ssl: s}
	if s.KeyStore.Configured() {
		cert, err := s.KeyStore.Load()
		if err != nil {
			return nil, err
		}
		b.cert = cert
	} else if needKey {
		return nil, errors.New("no key store: set ssl.keystore.location (or ssl.keystore.key and ssl.keystore.certificate.chain)")
	}
	if s.TrustStore.Configured() {
		pool, err := s.TrustStore.Pool()
		if err != nil {
			return nil, err
		}
		b.roots = pool
	}
	if lo, hi := s.TLSVersions(); lo == 0 || hi == 0 {
		return nil, errors.New("ssl.enabled.protocols names no TLS version")
	}
	return b, nil
}

// serverConfig is the configuration of a handshake on a listener.
func (b *built) serverConfig() (*tls.Config, error) {
	c := b.common()
	c.Certificates = []tls.Certificate{b.cert}
	c.ClientCAs = b.roots
	switch b.ssl.ClientAuth {
	case "required":
		c.ClientAuth = tls.RequireAndVerifyClientCert
	case "requested":
		c.ClientAuth = tls.VerifyClientCertIfGiven
	case "none", "":
		c.ClientAuth = tls.NoClientCert
	default:
		return nil, fmt.Errorf("ssl.client.auth %q: want none, requested or required", b.ssl.ClientAuth)
	}
	if c.ClientAuth != tls.NoClientCert && c.ClientCAs == nil {
		pool, err := x509.SystemCertPool()
		if err != nil {
			return nil, fmt.Errorf("ssl.client.auth=%s without a trust store: system roots: %w", b.ssl.ClientAuth, err)
		}
		c.ClientCAs = pool
	}
	return c, nil
}

// common holds the settings both sides share: versions and cipher suites.
func (b *built) common() *tls.Config {
	c := &tls.Config{}
	c.MinVersion, c.MaxVersion = b.ssl.TLSVersions()
	for _, name := range b.ssl.CipherSuites {
		if id, ok := config.CipherSuiteID(name); ok && id != 0 {
			c.CipherSuites = append(c.CipherSuites, id)
		}
	}
	return c
}
