package admin

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"
)

// isSecurityKey reports whether key is read by applySecurity.
func isSecurityKey(key string) bool {
	switch key {
	case "security.protocol", "sasl.mechanism", "sasl.jaas.config", "sasl.username", "sasl.password",
		"ssl.ca.location", "ssl.truststore.location", "ssl.truststore.type",
		"ssl.certificate.location", "ssl.key.location", "ssl.keystore.location", "ssl.keystore.type",
		"ssl.endpoint.identification.algorithm", "enable.ssl.certificate.verification":
		return true
	}
	return false
}

// applySecurity reads security.protocol and the sasl.* and ssl.* keys.
// Java keystores (JKS, PKCS12) cannot be read here: PEM files only.
func applySecurity(cfg *ClientConfig, props map[string]string) error {
	protocol := strings.ToUpper(strings.TrimSpace(props["security.protocol"]))
	useTLS, useSASL := false, false
	switch protocol {
	case "", "PLAINTEXT":
	case "SSL":
		useTLS = true
	case "SASL_PLAINTEXT":
		useSASL = true
	case "SASL_SSL":
		useTLS, useSASL = true, true
	default:
		return fmt.Errorf("client property security.protocol: unknown protocol %q (want PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL)", props["security.protocol"])
	}
	if useTLS {
		t, err := tlsConfig(props)
		if err != nil {
			return err
		}
		cfg.TLS = t
	}
	if useSASL {
		m, err := saslMechanism(props)
		if err != nil {
			return err
		}
		cfg.SASL = m
	}
	return nil
}

var jaasField = regexp.MustCompile(`(username|password)\s*=\s*"((?:[^"\\]|\\.)*)"`)

// saslCredentials takes sasl.username/sasl.password (librdkafka's keys) or
// the username and password of a Kafka sasl.jaas.config line.
func saslCredentials(props map[string]string) (string, string) {
	user, pass := props["sasl.username"], props["sasl.password"]
	for _, m := range jaasField.FindAllStringSubmatch(props["sasl.jaas.config"], -1) {
		value := strings.ReplaceAll(m[2], `\"`, `"`)
		if m[1] == "username" && user == "" {
			user = value
		}
		if m[1] == "password" && pass == "" {
			pass = value
		}
	}
	return user, pass
}

func saslMechanism(props map[string]string) (sasl.Mechanism, error) {
	user, pass := saslCredentials(props)
	if user == "" || pass == "" {
		return nil, errors.New("SASL needs a username and password: set sasl.jaas.config or sasl.username and sasl.password")
	}
	switch mech := strings.ToUpper(strings.TrimSpace(props["sasl.mechanism"])); mech {
	case "", "PLAIN":
		return plain.Auth{User: user, Pass: pass}.AsMechanism(), nil
	case "SCRAM-SHA-256":
		return scram.Auth{User: user, Pass: pass}.AsSha256Mechanism(), nil
	case "SCRAM-SHA-512":
		return scram.Auth{User: user, Pass: pass}.AsSha512Mechanism(), nil
	default:
		return nil, fmt.Errorf("client property sasl.mechanism: %q is not supported (want PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)", mech)
	}
}

func tlsConfig(props map[string]string) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if err := checkPEMStore(props, "ssl.truststore.type"); err != nil {
		return nil, err
	}
	if err := checkPEMStore(props, "ssl.keystore.type"); err != nil {
		return nil, err
	}
	if err := loadRootCAs(cfg, firstNonEmpty(props["ssl.ca.location"], props["ssl.truststore.location"])); err != nil {
		return nil, err
	}
	if err := loadClientCert(cfg, props); err != nil {
		return nil, err
	}
	if strings.EqualFold(props["enable.ssl.certificate.verification"], "false") {
		cfg.InsecureSkipVerify = true
		return cfg, nil
	}
	if v, ok := props["ssl.endpoint.identification.algorithm"]; ok && strings.TrimSpace(v) == "" {
		skipHostnameCheck(cfg)
	}
	return cfg, nil
}

func checkPEMStore(props map[string]string, key string) error {
	if t := props[key]; t != "" && !strings.EqualFold(t, "PEM") {
		return fmt.Errorf("client property %s: only PEM files are supported, not %s (convert with keytool/openssl)", key, t)
	}
	return nil
}

func loadRootCAs(cfg *tls.Config, path string) error {
	if path == "" {
		return nil
	}
	pem, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read CA file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return fmt.Errorf("read CA file %s: no PEM certificates found", path)
	}
	cfg.RootCAs = pool
	return nil
}

func loadClientCert(cfg *tls.Config, props map[string]string) error {
	certPath := firstNonEmpty(props["ssl.certificate.location"], props["ssl.keystore.location"])
	keyPath := firstNonEmpty(props["ssl.key.location"], props["ssl.keystore.location"])
	if certPath == "" {
		return nil
	}
	cert, err := tls.LoadX509KeyPair(certPath, keyPath)
	if err != nil {
		return fmt.Errorf("load client certificate: %w", err)
	}
	cfg.Certificates = []tls.Certificate{cert}
	return nil
}

// skipHostnameCheck keeps chain verification but drops the host name match,
// Kafka's meaning of an empty ssl.endpoint.identification.algorithm.
func skipHostnameCheck(cfg *tls.Config) {
	roots := cfg.RootCAs
	cfg.InsecureSkipVerify = true
	cfg.VerifyPeerCertificate = func(raw [][]byte, _ [][]*x509.Certificate) error {
		certs := make([]*x509.Certificate, 0, len(raw))
		for _, der := range raw {
			c, err := x509.ParseCertificate(der)
			if err != nil {
				return fmt.Errorf("parse broker certificate: %w", err)
			}
			certs = append(certs, c)
		}
		if len(certs) == 0 {
			return errors.New("broker sent no certificate")
		}
		opts := x509.VerifyOptions{Roots: roots, Intermediates: x509.NewCertPool()}
		for _, c := range certs[1:] {
			opts.Intermediates.AddCert(c)
		}
		_, err := certs[0].Verify(opts)
		return err
	}
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
