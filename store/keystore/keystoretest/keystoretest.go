// Package keystoretest makes certificate authorities and certificates for
// tests, and writes them as the key and trust stores Kafka's ssl.* settings
// name. Keys are generated per test run; nothing here is a fixture on disk.
package keystoretest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

var serial atomic.Int64

// CA is a certificate authority.
type CA struct {
	Cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

// Leaf is a certificate with its key, signed by a CA.
type Leaf struct {
	Cert *x509.Certificate
	Key  *ecdsa.PrivateKey
	CA   *CA
}

// NewCA makes a self-signed CA named cn.
func NewCA(t testing.TB, cn string) *CA {
	t.Helper()
	key := newKey(t)
	tmpl := template(cn)
	tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
	tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature
	cert := create(t, tmpl, tmpl, key, key)
	return &CA{Cert: cert, key: key}
}

// Issue signs a certificate for subject, valid for TLS servers and clients
// at the given host names or IP addresses.
func (ca *CA) Issue(t testing.TB, subject pkix.Name, hosts ...string) *Leaf {
	t.Helper()
	key := newKey(t)
	tmpl := template("")
	tmpl.Subject = subject
	tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	return &Leaf{Cert: create(t, tmpl, ca.Cert, key, ca.key), Key: key, CA: ca}
}

// CertPEM is the CA certificate in PEM form.
func (ca *CA) CertPEM() []byte { return certPEM(ca.Cert) }

// WriteTrustPEM writes the CA certificate as a PEM trust store.
func (ca *CA) WriteTrustPEM(t testing.TB, dir string) string {
	return write(t, filepath.Join(dir, "ca.pem"), ca.CertPEM())
}

// ChainPEM is the certificate followed by its CA's.
func (l *Leaf) ChainPEM() []byte { return append(certPEM(l.Cert), certPEM(l.CA.Cert)...) }

// KeyPEM is the private key, unencrypted PKCS#8.
func (l *Leaf) KeyPEM(t testing.TB) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(l.Key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// WriteKeyStorePEM writes key and chain into one PEM key store file,
// as ssl.keystore.type=PEM reads it, and returns its path.
func (l *Leaf) WriteKeyStorePEM(t testing.TB, path string) string {
	return write(t, path, append(l.KeyPEM(t), l.ChainPEM()...))
}

// WriteFiles writes the key, the chain and the CA as separate PEM files
// (key.pem, cert.pem, ca.pem in dir), as kcat and openssl users keep them.
func (l *Leaf) WriteFiles(t testing.TB, dir string) (key, cert, ca string) {
	return write(t, filepath.Join(dir, "key.pem"), l.KeyPEM(t)),
		write(t, filepath.Join(dir, "cert.pem"), l.ChainPEM()),
		write(t, filepath.Join(dir, "ca.pem"), l.CA.CertPEM())
}

// TLSCertificate is the leaf as crypto/tls uses it.
func (l *Leaf) TLSCertificate() tls.Certificate {
	return tls.Certificate{Certificate: [][]byte{l.Cert.Raw, l.CA.Cert.Raw}, PrivateKey: l.Key, Leaf: l.Cert}
}

// Pool is a pool holding only the CA.
func (ca *CA) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(ca.Cert)
	return p
}

func newKey(t testing.TB) *ecdsa.PrivateKey {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func template(cn string) *x509.Certificate {
	return &x509.Certificate{SerialNumber: big.NewInt(serial.Add(1)), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
}

func create(t testing.TB, tmpl, parent *x509.Certificate, key, signer *ecdsa.PrivateKey) *x509.Certificate {
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

func certPEM(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

// write replaces path atomically (a reloading reader never sees half a file).
func write(t testing.TB, path string, data []byte) string {
	t.Helper()
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	return path
}
