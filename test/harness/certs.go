package harness

import (
	"bytes"
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
	"testing"
	"time"

	jks "github.com/pavlo-v-chernykh/keystore-go/v4"
	"github.com/youmark/pkcs8"
	"software.sslmate.com/src/go-pkcs12"
)

// CA is a certificate authority for tests: it issues broker and client
// certificates and writes them as PEM files.
type CA struct {
	Cert    *x509.Certificate
	Key     *ecdsa.PrivateKey
	CertPEM []byte
	// CertFile is the CA certificate's PEM file, a client's truststore.
	CertFile string
	dir      string
}

// Issued is a certificate with its key, in memory and as PEM files.
type Issued struct {
	Key      *ecdsa.PrivateKey
	Cert     *x509.Certificate
	ca       *CA
	TLS      tls.Certificate
	CertPEM  []byte // the certificate, then the CA's
	KeyPEM   []byte // PKCS#8
	CertFile string
	KeyFile  string
	// BothFile holds the key and the chain, a PEM keystore.
	BothFile string
}

// NewCA makes a CA named name, its files in a new temp directory.
func NewCA(t testing.TB, name string) *CA {
	t.Helper()
	key := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	ca := &CA{Cert: cert, Key: key, dir: t.TempDir(),
		CertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
	ca.CertFile = ca.write(t, name+"-ca.pem", ca.CertPEM)
	return ca
}

// Issue makes a certificate for cn, valid for the DNS names and IP
// addresses in names, for servers and clients.
func (ca *CA) Issue(t testing.TB, cn string, names ...string) *Issued {
	t.Helper()
	key := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, &key.PublicKey, ca.Key)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	is := &Issued{Key: key, Cert: cert, ca: ca,
		CertPEM: append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), ca.CertPEM...),
		KeyPEM:  pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}),
	}
	is.TLS, err = tls.X509KeyPair(is.CertPEM, is.KeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	is.CertFile = ca.write(t, cn+".crt", is.CertPEM)
	is.KeyFile = ca.write(t, cn+".key", is.KeyPEM)
	is.BothFile = ca.write(t, cn+".pem", append(append([]byte{}, is.KeyPEM...), is.CertPEM...))
	return is
}

// Pool is a pool holding only the CA.
func (ca *CA) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(ca.Cert)
	return p
}

func (ca *CA) write(t testing.TB, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(ca.dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func newKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// PKCS12TrustStore writes the CA as a PKCS12 trust store.
func (ca *CA) PKCS12TrustStore(t testing.TB, password string) string {
	t.Helper()
	data, err := pkcs12.Modern.EncodeTrustStore([]*x509.Certificate{ca.Cert}, password)
	if err != nil {
		t.Fatal(err)
	}
	return ca.write(t, "trust.p12", data)
}

// JKSTrustStore writes the CA as a JKS trust store.
func (ca *CA) JKSTrustStore(t testing.TB, password string) string {
	t.Helper()
	ks := jks.New()
	entry := jks.TrustedCertificateEntry{CreationTime: time.Now(), Certificate: jks.Certificate{Type: "X509", Content: ca.Cert.Raw}}
	if err := ks.SetTrustedCertificateEntry("ca", entry); err != nil {
		t.Fatal(err)
	}
	return ca.write(t, "trust.jks", storeJKS(t, ks, password))
}

// PKCS12 writes the key and chain as a PKCS12 key store.
func (is *Issued) PKCS12(t testing.TB, password string) string {
	t.Helper()
	data, err := pkcs12.Modern.Encode(is.Key, is.Cert, []*x509.Certificate{is.ca.Cert}, password)
	if err != nil {
		t.Fatal(err)
	}
	return is.ca.write(t, is.Cert.Subject.CommonName+".p12", data)
}

// JKS writes the key and chain as a JKS key store.
func (is *Issued) JKS(t testing.TB, storePassword, keyPassword string) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(is.Key)
	if err != nil {
		t.Fatal(err)
	}
	ks := jks.New()
	entry := jks.PrivateKeyEntry{CreationTime: time.Now(), PrivateKey: der, CertificateChain: []jks.Certificate{
		{Type: "X509", Content: is.Cert.Raw}, {Type: "X509", Content: is.ca.Cert.Raw}}}
	if err := ks.SetPrivateKeyEntry("client", entry, []byte(keyPassword)); err != nil {
		t.Fatal(err)
	}
	return is.ca.write(t, is.Cert.Subject.CommonName+".jks", storeJKS(t, ks, storePassword))
}

// EncryptedKeyPEM is the key as an encrypted PKCS#8 PEM block.
func (is *Issued) EncryptedKeyPEM(t testing.TB, password string) []byte {
	t.Helper()
	der, err := pkcs8.MarshalPrivateKey(is.Key, []byte(password), nil)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: der})
}

func storeJKS(t testing.TB, ks jks.KeyStore, password string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := ks.Store(&buf, []byte(password)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
