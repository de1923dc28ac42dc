package keystore

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	jks "github.com/pavlo-v-chernykh/keystore-go/v4"
	"github.com/youmark/pkcs8"
	"software.sslmate.com/src/go-pkcs12"
)

// fixture is a CA and a leaf certificate it signed, made fresh per test.
type fixture struct {
	caCert, leafCert *x509.Certificate
	leafKey          *ecdsa.PrivateKey
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test-ca"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leafTmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "broker"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), DNSNames: []string{"localhost"}}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &leafKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(leafDER)
	return fixture{caCert: ca, leafCert: leaf, leafKey: leafKey}
}

func pemBlock(typ string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

func (f fixture) chainPEM() string {
	return pemBlock("CERTIFICATE", f.leafCert.Raw) + pemBlock("CERTIFICATE", f.caCert.Raw)
}

func (f fixture) keyPEM(t *testing.T, password string) string {
	der, err := pkcs8.MarshalPrivateKey(f.leafKey, []byte(password), nil)
	if err != nil {
		t.Fatal(err)
	}
	if password == "" {
		return pemBlock("PRIVATE KEY", der)
	}
	return pemBlock("ENCRYPTED PRIVATE KEY", der)
}

func (f fixture) pkcs12(t *testing.T, password string) []byte {
	data, err := pkcs12.Modern.Encode(f.leafKey, f.leafCert, []*x509.Certificate{f.caCert}, password)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func (f fixture) pkcs12Trust(t *testing.T, password string) []byte {
	data, err := pkcs12.Modern.EncodeTrustStore([]*x509.Certificate{f.caCert}, password)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func (f fixture) jksKeys(t *testing.T, storePassword, keyPassword string) []byte {
	ks := jks.New()
	der, err := x509.MarshalPKCS8PrivateKey(f.leafKey)
	if err != nil {
		t.Fatal(err)
	}
	entry := jks.PrivateKeyEntry{CreationTime: time.Now(), PrivateKey: der, CertificateChain: []jks.Certificate{
		{Type: "X509", Content: f.leafCert.Raw}, {Type: "X509", Content: f.caCert.Raw}}}
	if err := ks.SetPrivateKeyEntry("broker", entry, []byte(keyPassword)); err != nil {
		t.Fatal(err)
	}
	return storeJKS(t, ks, storePassword)
}

func (f fixture) jksTrust(t *testing.T, password string) []byte {
	ks := jks.New()
	entry := jks.TrustedCertificateEntry{CreationTime: time.Now(), Certificate: jks.Certificate{Type: "X509", Content: f.caCert.Raw}}
	if err := ks.SetTrustedCertificateEntry("ca", entry); err != nil {
		t.Fatal(err)
	}
	return storeJKS(t, ks, password)
}

func storeJKS(t *testing.T, ks jks.KeyStore, password string) []byte {
	var buf bytes.Buffer
	if err := ks.Store(&buf, []byte(password)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeFile(t *testing.T, name string, data []byte) string {
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestKeyStoreLoad(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name    string
		store   func(t *testing.T) KeyStore
		wantErr string
	}{
		{"pem file", func(t *testing.T) KeyStore {
			return KeyStore{Type: "PEM", Location: writeFile(t, "k.pem", []byte(f.keyPEM(t, "")+f.chainPEM()))}
		}, ""},
		{"pem encrypted key", func(t *testing.T) KeyStore {
			return KeyStore{Type: "pem", KeyPassword: "key-secret", Location: writeFile(t, "k.pem", []byte(f.chainPEM()+f.keyPEM(t, "key-secret")))}
		}, ""},
		{"pem encrypted key, wrong password", func(t *testing.T) KeyStore {
			return KeyStore{Type: "PEM", KeyPassword: "nope", Location: writeFile(t, "k.pem", []byte(f.chainPEM()+f.keyPEM(t, "key-secret")))}
		}, "wrong ssl.key.password"},
		{"pem encrypted key, no password", func(t *testing.T) KeyStore {
			return KeyStore{Type: "PEM", Location: writeFile(t, "k.pem", []byte(f.chainPEM()+f.keyPEM(t, "key-secret")))}
		}, "set ssl.key.password"},
		{"pem inline", func(t *testing.T) KeyStore {
			return KeyStore{Type: "PEM", Key: f.keyPEM(t, ""), Chain: f.chainPEM()}
		}, ""},
		{"pem without key", func(t *testing.T) KeyStore {
			return KeyStore{Type: "PEM", Location: writeFile(t, "k.pem", []byte(f.chainPEM()))}
		}, "no private key"},
		{"pem chain not starting with the key's certificate", func(t *testing.T) KeyStore {
			return KeyStore{Type: "PEM", Location: writeFile(t, "k.pem", []byte(pemBlock("CERTIFICATE", f.caCert.Raw)+f.keyPEM(t, "")))}
		}, "not the private key's"},
		{"pkcs12", func(t *testing.T) KeyStore {
			return KeyStore{Type: "PKCS12", Password: "store-secret", Location: writeFile(t, "k.p12", f.pkcs12(t, "store-secret"))}
		}, ""},
		{"pkcs12 wrong password", func(t *testing.T) KeyStore {
			return KeyStore{Type: "PKCS12", Password: "nope", Location: writeFile(t, "k.p12", f.pkcs12(t, "store-secret"))}
		}, "wrong password"},
		{"jks, key password defaults to store password", func(t *testing.T) KeyStore {
			return KeyStore{Password: "store-secret", Location: writeFile(t, "k.jks", f.jksKeys(t, "store-secret", "store-secret"))}
		}, ""},
		{"jks with its own key password", func(t *testing.T) KeyStore {
			return KeyStore{Type: "JKS", Password: "store-secret", KeyPassword: "key-secret", Location: writeFile(t, "k.jks", f.jksKeys(t, "store-secret", "key-secret"))}
		}, ""},
		{"jks wrong store password", func(t *testing.T) KeyStore {
			return KeyStore{Type: "JKS", Password: "nope", Location: writeFile(t, "k.jks", f.jksKeys(t, "store-secret", "store-secret"))}
		}, "wrong password"},
		{"unsupported type", func(t *testing.T) KeyStore {
			return KeyStore{Type: "BKS", Location: writeFile(t, "k", []byte("x"))}
		}, "unsupported store type"},
		{"missing file", func(t *testing.T) KeyStore {
			return KeyStore{Type: "PEM", Location: filepath.Join(t.TempDir(), "absent.pem")}
		}, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ks := tt.store(t)
			cert, err := ks.Load()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Load() error = %v, want one containing %q", err, tt.wantErr)
				}
				for _, secret := range []string{"store-secret", "key-secret"} {
					if strings.Contains(err.Error(), secret) {
						t.Fatalf("error %q reveals a password", err)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Load(): %v", err)
			}
			if !cert.Leaf.Equal(f.leafCert) || len(cert.Certificate) != 2 {
				t.Fatalf("Load() leaf %v with %d certificates, want the broker's with its CA", cert.Leaf.Subject, len(cert.Certificate))
			}
		})
	}
}

func TestTrustStoreLoad(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name    string
		store   func(t *testing.T) TrustStore
		wantErr string
	}{
		{"pem file", func(t *testing.T) TrustStore {
			return TrustStore{Type: "PEM", Location: writeFile(t, "ca.pem", []byte(pemBlock("CERTIFICATE", f.caCert.Raw)))}
		}, ""},
		{"pem inline", func(t *testing.T) TrustStore {
			return TrustStore{Type: "PEM", Certificates: pemBlock("CERTIFICATE", f.caCert.Raw)}
		}, ""},
		{"pem without certificates", func(t *testing.T) TrustStore {
			return TrustStore{Type: "PEM", Location: writeFile(t, "ca.pem", []byte("not pem"))}
		}, "no PEM certificate"},
		{"pkcs12 java trust store", func(t *testing.T) TrustStore {
			return TrustStore{Type: "PKCS12", Password: "trust-secret", Location: writeFile(t, "t.p12", f.pkcs12Trust(t, "trust-secret"))}
		}, ""},
		{"jks", func(t *testing.T) TrustStore {
			return TrustStore{Type: "JKS", Password: "trust-secret", Location: writeFile(t, "t.jks", f.jksTrust(t, "trust-secret"))}
		}, ""},
		{"jks wrong password", func(t *testing.T) TrustStore {
			return TrustStore{Type: "JKS", Password: "nope", Location: writeFile(t, "t.jks", f.jksTrust(t, "trust-secret"))}
		}, "wrong password"},
		{"both location and inline", func(t *testing.T) TrustStore {
			return TrustStore{Type: "PEM", Location: "x", Certificates: "y"}
		}, "both set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			certs, err := tt.store(t).Load()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Load() error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load(): %v", err)
			}
			if len(certs) != 1 || !certs[0].Equal(f.caCert) {
				t.Fatalf("Load() = %d certificates, want the CA", len(certs))
			}
		})
	}
}

func TestPoolVerifiesLeaf(t *testing.T) {
	f := newFixture(t)
	pool, err := TrustStore{Type: "PEM", Certificates: pemBlock("CERTIFICATE", f.caCert.Raw)}.Pool()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.leafCert.Verify(x509.VerifyOptions{Roots: pool, DNSName: "localhost"}); err != nil {
		t.Fatalf("leaf does not verify against the loaded trust store: %v", err)
	}
	if _, err := (TrustStore{Type: "XYZ", Location: writeFile(t, "x", []byte("x"))}).Load(); !errors.Is(err, ErrUnsupportedType) {
		t.Fatalf("unknown type: %v, want ErrUnsupportedType", err)
	}
}
