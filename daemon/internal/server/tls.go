package server

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"time"

	"github.com/kqhq/kq/daemon/internal/sslprincipal"
)

// handshakeTimeout bounds the TLS handshake of a new connection, so a peer
// that connects and sends nothing (or a plaintext client waiting for the
// broker to speak) holds a connection slot for seconds, not until the idle
// timeout.
const handshakeTimeout = 10 * time.Second

// handshake runs the TLS handshake and sets the connection's principal from
// the client certificate, if one was presented (ssl.client.auth=requested
// or required); ok is false when the connection must close.
func (c *conn) handshake() (closeReason, bool) {
	ctx, cancel := context.WithTimeout(c.ctx, handshakeTimeout)
	defer cancel()
	if c.draining.Load() {
		return closeReason{kind: reasonShutdown}, false
	}
	if err := c.tls.HandshakeContext(ctx); err != nil {
		if c.draining.Load() {
			return closeReason{kind: reasonShutdown, err: err}, false
		}
		// Kafka logs failed authentications at INFO too; TLS errors never
		// carry key material.
		c.log.Info("failed authentication: TLS handshake failed", "err", err)
		return closeReason{kind: reasonTLSHandshake, err: err}, false
	}
	state := c.tls.ConnectionState()
	if !c.certPrincipal || len(state.PeerCertificates) == 0 {
		return closeReason{}, true
	}
	principal, err := c.principalOf(state.PeerCertificates[0])
	if err != nil {
		c.log.Info("failed authentication: no principal for the client certificate", "err", err)
		return closeReason{kind: reasonAuthentication, err: err}, false
	}
	c.info.Principal = principal
	c.log.Debug("tls client authenticated", "principal", principal, "version", tls.VersionName(state.Version))
	return closeReason{}, true
}

func (c *conn) principalOf(cert *x509.Certificate) (string, error) {
	if c.sslPrincipal != nil {
		return c.sslPrincipal(cert)
	}
	return DefaultSSLPrincipal(cert)
}

// DefaultSSLPrincipal is Kafka's default principal for a client certificate:
// "User:" and the subject's distinguished name in RFC 2253 form, as Java's
// X500Principal.getName() writes it ("CN=alice,OU=eng,O=Example,C=US").
func DefaultSSLPrincipal(cert *x509.Certificate) (string, error) {
	dn, err := sslprincipal.SubjectDN(cert)
	if err != nil {
		return "", err
	}
	return "User:" + dn, nil
}
