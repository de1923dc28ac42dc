package admin

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"
)

// storeFile is a keystore or truststore as Kafka's ssl.* keys describe it.
type storeFile struct {
	kind     string // "truststore" or "keystore", for messages
	path     string
	typ      string // PEM, PKCS12 or JKS; "" to tell from the content
	password string
}

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
		return certPool(pemText(text), "ssl.truststore.certificates")
	}
	path := firstNonEmpty(props["ssl.truststore.location"], props["ssl.ca.location"])
	if path == "" {
		return nil, nil
	}
	content, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read truststore: %w", err)
	}
	st := storeFile{kind: "truststore", path: path, typ: storeType(props["ssl.truststore.type"], content),
		password: props["ssl.truststore.password"]}
	if err := checkStoreType("ssl.truststore.type", st.typ); err != nil {
		return nil, err
	}
	if st.typ == "PEM" {
		if st.password != "" {
			return nil, errors.New("client property ssl.truststore.password: a PEM truststore has no password (Kafka refuses it too)")
		}
		return certPool(content, "truststore "+path)
	}
	certs, err := loadTrustedCerts(st, content)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	for _, c := range certs {
		pool.AddCert(c)
	}
	return pool, nil
}

func certPool(pemText []byte, what string) (*x509.CertPool, error) {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemText) {
		return nil, fmt.Errorf("read %s: no PEM certificate found", what)
	}
	return pool, nil
}

// keyStore reads the client's certificate and key for mutual TLS:
// ssl.keystore.location (PEM, PKCS12 or JKS), ssl.keystore.certificate.chain
// with ssl.keystore.key (PEM text), or librdkafka's
// ssl.certificate.location with ssl.key.location. nil means no client
// certificate.
func keyStore(props map[string]string) (*tls.Certificate, error) {
	chain, key := props["ssl.keystore.certificate.chain"], props["ssl.keystore.key"]
	if strings.TrimSpace(chain) != "" || strings.TrimSpace(key) != "" {
		if t := props["ssl.keystore.type"]; t != "" && !strings.EqualFold(t, "PEM") {
			return nil, errors.New("client properties ssl.keystore.certificate.chain and ssl.keystore.key need ssl.keystore.type=PEM")
		}
		return pemKeyPair(pemText(chain), pemText(key), props["ssl.key.password"], "ssl.keystore.certificate.chain and ssl.keystore.key")
	}
	if certPath := props["ssl.certificate.location"]; certPath != "" {
		return librdkafkaKeyPair(certPath, firstNonEmpty(props["ssl.key.location"], certPath), props["ssl.key.password"])
	}
	path := props["ssl.keystore.location"]
	if path == "" {
		return nil, nil
	}
	content, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read keystore: %w", err)
	}
	st := storeFile{kind: "keystore", path: path, typ: storeType(props["ssl.keystore.type"], content),
		password: props["ssl.keystore.password"]}
	if err := checkStoreType("ssl.keystore.type", st.typ); err != nil {
		return nil, err
	}
	if st.typ == "PEM" {
		// A PEM keystore file holds the key and the chain together.
		return pemKeyPair(content, content, props["ssl.key.password"], "keystore "+path)
	}
	return loadKeyPair(st, content, firstNonEmpty(props["ssl.key.password"], st.password))
}

func librdkafkaKeyPair(certPath, keyPath, keyPassword string) (*tls.Certificate, error) {
	certPEM, err := os.ReadFile(certPath)
	if err != nil {
		return nil, fmt.Errorf("read client certificate: %w", err)
	}
	keyPEM, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, fmt.Errorf("read client key: %w", err)
	}
	return pemKeyPair(certPEM, keyPEM, keyPassword, certPath)
}

// pemKeyPair pairs PEM certificates with a PEM private key. An encrypted
// key (ENCRYPTED PRIVATE KEY, PKCS#8 as Kafka wants it) is decrypted with
// keyPassword.
func pemKeyPair(certPEM, keyPEM []byte, keyPassword, what string) (*tls.Certificate, error) {
	keyPEM, err := decryptPEMKey(keyPEM, keyPassword)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	return &cert, nil
}

// decryptPEMKey returns keyPEM with an encrypted PKCS#8 key replaced by the
// plain one; other content is returned unchanged.
func decryptPEMKey(keyPEM []byte, password string) ([]byte, error) {
	rest := keyPEM
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return keyPEM, nil
		}
		if block.Type != "ENCRYPTED PRIVATE KEY" {
			continue
		}
		if password == "" {
			return nil, errors.New("the private key is encrypted: set ssl.key.password")
		}
		der, err := decryptPKCS8(block.Bytes, password)
		if err != nil {
			return nil, err
		}
		return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
	}
}
