package keystoretest

import (
	"bytes"
	"crypto/x509"
	"testing"
	"time"

	jks "github.com/pavlo-v-chernykh/keystore-go/v4"
	"software.sslmate.com/src/go-pkcs12"
)

// WriteKeyStorePKCS12 writes key and chain as a password-protected PKCS#12
// key store (ssl.keystore.type=PKCS12).
func (l *Leaf) WriteKeyStorePKCS12(t testing.TB, path, password string) string {
	t.Helper()
	data, err := pkcs12.Modern.Encode(l.Key, l.Cert, []*x509.Certificate{l.CA.Cert}, password)
	if err != nil {
		t.Fatal(err)
	}
	return write(t, path, data)
}

// WriteTrustJKS writes the CA as a JKS trust store (ssl.truststore.type=JKS).
func (ca *CA) WriteTrustJKS(t testing.TB, path, password string) string {
	t.Helper()
	ks := jks.New()
	entry := jks.TrustedCertificateEntry{CreationTime: time.Now(), Certificate: jks.Certificate{Type: "X509", Content: ca.Cert.Raw}}
	if err := ks.SetTrustedCertificateEntry("ca", entry); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ks.Store(&buf, []byte(password)); err != nil {
		t.Fatal(err)
	}
	return write(t, path, buf.Bytes())
}
