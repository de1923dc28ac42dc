package admin

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/kqhq/kq/store/keystore"
)

// storeType is the store's declared type, or, when none is declared, the
// type its content shows: PEM text, the JKS magic number, else PKCS12.
// (Kafka assumes JKS; telling them apart lets a PEM file work without
// ssl.*.type=PEM, which is what users of librdkafka expect.)
func storeType(declared string, content []byte) string {
	if declared != "" {
		return strings.ToUpper(strings.TrimSpace(declared))
	}
	switch {
	case bytes.Contains(content, []byte("-----BEGIN")):
		return "PEM"
	case bytes.HasPrefix(content, []byte{0xFE, 0xED, 0xFE, 0xED}):
		return "JKS"
	}
	return "PKCS12"
}

func checkStoreType(key, typ string) error {
	switch typ {
	case "PEM", "PKCS12", "JKS":
		return nil
	}
	return fmt.Errorf("client property %s: want PEM, PKCS12 or JKS, got %q", key, typ)
}

// trustStore reads the CA certificates to trust: ssl.truststore.location
// (PEM, PKCS12 or JKS), ssl.truststore.certificates (PEM text) or
// librdkafka's ssl.ca.location. nil means the system's roots.
func trustStore(props map[string]string) (*x509.CertPool, error) {
	if text := props["ssl.truststore.certificates"]; strings.TrimSpace(text) != "" {
		if t := props["ssl.truststore.type"]; t != "" && !strings.EqualFold(t, "PEM") {
			return nil, errors.New("client property ssl.truststore.certificates needs ssl.truststore.type=PEM")
		}
		return trustPool(keystore.TrustStore{Type: keystore.TypePEM, Certificates: string(pemText(text))})
	}
	path := firstNonEmpty(props["ssl.truststore.location"], props["ssl.ca.location"])
	if path == "" {
		return nil, nil
	}
	typ, err := fileStoreType(path, "ssl.truststore.type", props["ssl.truststore.type"])
	if err != nil {
		return nil, err
	}
	password := props["ssl.truststore.password"]
	if typ == keystore.TypePEM && password != "" {
		return nil, errors.New("client property ssl.truststore.password: a PEM truststore has no password (Kafka refuses it too)")
	}
	return trustPool(keystore.TrustStore{Type: typ, Location: path, Password: password})
}

func trustPool(ts keystore.TrustStore) (*x509.CertPool, error) {
	pool, err := ts.Pool()
	if err != nil {
		return nil, fmt.Errorf("CA certificates to trust (ssl.truststore.*): %w", err)
	}
	return pool, nil
}

// fileStoreType is the declared type of the store at path, or the one its
// content shows.
func fileStoreType(path, key, declared string) (string, error) {
	content, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", strings.TrimPrefix(strings.TrimSuffix(key, ".type"), "ssl."), err)
	}
	typ := storeType(declared, content)
	return typ, checkStoreType(key, typ)
}

// keyStore reads the client's certificate and key for mutual TLS:
// ssl.keystore.location (PEM, PKCS12 or JKS), ssl.keystore.certificate.chain
// with ssl.keystore.key (PEM text), or librdkafka's
// ssl.certificate.location with ssl.key.location. nil means no client
// certificate.
func keyStore(props map[string]string) (*tls.Certificate, error) {
	chain, key := props["ssl.keystore.certificate.chain"], props["ssl.keystore.key"]
	keyPassword := props["ssl.key.password"]
	var ks keystore.KeyStore
	switch {
	case strings.TrimSpace(chain) != "" || strings.TrimSpace(key) != "":
		if t := props["ssl.keystore.type"]; t != "" && !strings.EqualFold(t, "PEM") {
			return nil, errors.New("client properties ssl.keystore.certificate.chain and ssl.keystore.key need ssl.keystore.type=PEM")
		}
		ks = keystore.KeyStore{Type: keystore.TypePEM, Chain: string(pemText(chain)), Key: string(pemText(key)), KeyPassword: keyPassword}
	case props["ssl.certificate.location"] != "":
		var err error
		if ks, err = librdkafkaKeyStore(props["ssl.certificate.location"], props["ssl.key.location"], keyPassword); err != nil {
			return nil, err
		}
	case props["ssl.keystore.location"] != "":
		path := props["ssl.keystore.location"]
		typ, err := fileStoreType(path, "ssl.keystore.type", props["ssl.keystore.type"])
		if err != nil {
			return nil, err
		}
		ks = keystore.KeyStore{Type: typ, Location: path, Password: props["ssl.keystore.password"], KeyPassword: keyPassword}
	default:
		return nil, nil
	}
	cert, err := ks.Load()
	if err != nil {
		return nil, fmt.Errorf("client TLS certificate (ssl.keystore.*): %w", err)
	}
	return &cert, nil
}

// librdkafkaKeyStore is ssl.certificate.location with ssl.key.location,
// which may be the same file or left out when the certificate file holds
// the key.
func librdkafkaKeyStore(certPath, keyPath, keyPassword string) (keystore.KeyStore, error) {
	if keyPath == "" || keyPath == certPath {
		return keystore.KeyStore{Type: keystore.TypePEM, Location: certPath, KeyPassword: keyPassword}, nil
	}
	certPEM, err := os.ReadFile(certPath)
	if err != nil {
		return keystore.KeyStore{}, fmt.Errorf("read client certificate: %w", err)
	}
	keyPEM, err := os.ReadFile(keyPath)
	if err != nil {
		return keystore.KeyStore{}, fmt.Errorf("read client key: %w", err)
	}
	return keystore.KeyStore{Type: keystore.TypePEM, Chain: string(certPEM), Key: string(keyPEM), KeyPassword: keyPassword}, nil
}
