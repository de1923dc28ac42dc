package keystore

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"
)

// Types are the store types Kafka names in ssl.keystore.type and
// ssl.truststore.type.
const (
	TypePEM    = "PEM"
	TypePKCS12 = "PKCS12"
	TypeJKS    = "JKS"
)

// ErrUnsupportedType is returned for a store type this package cannot read.
var ErrUnsupportedType = errors.New("unsupported store type")

// KeyStore names a key store: a file (Location) of a Type, or PEM text given
// inline (Key and Chain), as Kafka's ssl.keystore.* settings do.
type KeyStore struct {
	Type     string // "" means JKS, Kafka's default
	Location string
	Password string // ssl.keystore.password
	// KeyPassword is ssl.key.password: the private key's own password (PEM:
	// the PKCS#8 encryption password). Empty means Password.
	KeyPassword string
	// Key and Chain are ssl.keystore.key and ssl.keystore.certificate.chain.
	Key, Chain string
}

// TrustStore names a trust store: a file or PEM certificates given inline
// (ssl.truststore.certificates).
type TrustStore struct {
	Type         string // "" means JKS, Kafka's default
	Location     string
	Password     string
	Certificates string
}

// Configured reports whether a key store is named at all.
func (k KeyStore) Configured() bool { return k.Location != "" || k.Key != "" }

// Configured reports whether a trust store is named at all.
func (t TrustStore) Configured() bool { return t.Location != "" || t.Certificates != "" }

// Load reads the key store into a certificate with its private key.
func (k KeyStore) Load() (tls.Certificate, error) {
	if k.Key != "" || k.Chain != "" {
		if k.Location != "" {
			return tls.Certificate{}, errors.New("key store: ssl.keystore.location and ssl.keystore.key are both set")
		}
		cert, err := parsePEMKeyPair([]byte(k.Chain+"\n"+k.Key), k.KeyPassword)
		if err != nil {
			return tls.Certificate{}, fmt.Errorf("key store given inline: %w", err)
		}
		return cert, nil
	}
	data, err := os.ReadFile(k.Location)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("key store: %w", err)
	}
	cert, err := k.parse(data)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("key store %s (%s): %w", k.Location, storeType(k.Type), err)
	}
	return cert, nil
}

func (k KeyStore) parse(data []byte) (tls.Certificate, error) {
	keyPassword := k.KeyPassword
	if keyPassword == "" {
		keyPassword = k.Password
	}
	switch storeType(k.Type) {
	case TypePEM:
		return parsePEMKeyPair(data, k.KeyPassword)
	case TypePKCS12:
		return parsePKCS12KeyPair(data, k.Password, keyPassword)
	case TypeJKS:
		return parseJKSKeyPair(data, k.Password, keyPassword)
	}
	return tls.Certificate{}, fmt.Errorf("%w %q", ErrUnsupportedType, k.Type)
}

// Load reads the trusted certificates.
func (t TrustStore) Load() ([]*x509.Certificate, error) {
	if t.Certificates != "" {
		if t.Location != "" {
			return nil, errors.New("trust store: ssl.truststore.location and ssl.truststore.certificates are both set")
		}
		certs, err := parsePEMCertificates([]byte(t.Certificates))
		if err != nil {
			return nil, fmt.Errorf("trust store given inline: %w", err)
		}
		return certs, nil
	}
	data, err := os.ReadFile(t.Location)
	if err != nil {
		return nil, fmt.Errorf("trust store: %w", err)
	}
	certs, err := t.parse(data)
	if err != nil {
		return nil, fmt.Errorf("trust store %s (%s): %w", t.Location, storeType(t.Type), err)
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("trust store %s: no certificates", t.Location)
	}
	return certs, nil
}

func (t TrustStore) parse(data []byte) ([]*x509.Certificate, error) {
	switch storeType(t.Type) {
	case TypePEM:
		return parsePEMCertificates(data)
	case TypePKCS12:
		return parsePKCS12Trust(data, t.Password)
	case TypeJKS:
		return parseJKSTrust(data, t.Password)
	}
	return nil, fmt.Errorf("%w %q", ErrUnsupportedType, t.Type)
}

// Pool loads the trust store into a certificate pool.
func (t TrustStore) Pool() (*x509.CertPool, error) {
	certs, err := t.Load()
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	for _, c := range certs {
		pool.AddCert(c)
	}
	return pool, nil
}

// Files are the files the stores are read from, for reloading on change.
func Files(k KeyStore, t TrustStore) []string {
	var out []string
	for _, f := range []string{k.Location, t.Location} {
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

// storeType upper-cases the type and applies Kafka's JKS default.
func storeType(t string) string {
	if t == "" {
		return TypeJKS
	}
	return strings.ToUpper(t)
}
