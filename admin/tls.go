package admin

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// tlsConfig builds the client's TLS settings from Kafka's ssl.* keys (and
// librdkafka's ssl.ca.location, ssl.certificate.location, ssl.key.location
// and enable.ssl.certificate.verification). Without a truststore the
// system's roots are trusted, as Java trusts its cacerts.
func tlsConfig(props map[string]string) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if err := applyProtocols(cfg, props); err != nil {
		return nil, err
	}
	if err := applyCipherSuites(cfg, props["ssl.cipher.suites"]); err != nil {
		return nil, err
	}
	roots, err := trustStore(props)
	if err != nil {
		return nil, err
	}
	cfg.RootCAs = roots
	cert, err := keyStore(props)
	if err != nil {
		return nil, err
	}
	if cert != nil {
		cfg.Certificates = []tls.Certificate{*cert}
	}
	if strings.EqualFold(strings.TrimSpace(props["enable.ssl.certificate.verification"]), "false") {
		cfg.InsecureSkipVerify = true
		return cfg, nil
	}
	if v, ok := props["ssl.endpoint.identification.algorithm"]; ok {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "":
			skipHostnameCheck(cfg)
		case "https":
		default:
			return nil, fmt.Errorf("client property ssl.endpoint.identification.algorithm: want https or empty (no host name check), got %q", v)
		}
	}
	return cfg, nil
}

var tlsVersions = map[string]uint16{"TLSV1.2": tls.VersionTLS12, "TLSV1.3": tls.VersionTLS13}

// applyProtocols reads ssl.enabled.protocols (default TLSv1.2,TLSv1.3) and
// ssl.protocol (default TLSv1.3, which as in Java still allows the enabled
// older versions). Versions before 1.2 are refused: Go does not offer them
// by default and Kafka has disabled them since 2.x.
func applyProtocols(cfg *tls.Config, props map[string]string) error {
	if p := strings.TrimSpace(props["ssl.protocol"]); p != "" {
		if _, ok := tlsVersions[strings.ToUpper(p)]; !ok && !strings.EqualFold(p, "TLS") {
			return fmt.Errorf("client property ssl.protocol: want TLSv1.2, TLSv1.3 or TLS, got %q", p)
		}
	}
	raw, ok := props["ssl.enabled.protocols"]
	if !ok {
		return nil
	}
	var versions []uint16
	for _, name := range splitList(raw) {
		v, ok := tlsVersions[strings.ToUpper(name)]
		if !ok {
			return fmt.Errorf("client property ssl.enabled.protocols: %q is not supported (want TLSv1.2 and/or TLSv1.3)", name)
		}
		versions = append(versions, v)
	}
	if len(versions) == 0 {
		return errors.New("client property ssl.enabled.protocols: no protocol given")
	}
	cfg.MinVersion, cfg.MaxVersion = slices.Min(versions), slices.Max(versions)
	return nil
}

// applyCipherSuites maps ssl.cipher.suites, which uses the IANA names Go
// also uses. TLS 1.3's suites are always on in Go and are accepted as such.
func applyCipherSuites(cfg *tls.Config, raw string) error {
	names := splitList(raw)
	if len(names) == 0 {
		return nil
	}
	known := map[string]uint16{}
	for _, s := range tls.CipherSuites() {
		known[s.Name] = s.ID
	}
	for _, name := range names {
		id, ok := known[name]
		switch {
		case ok && id >= 0x1301 && id <= 0x1305: // TLS 1.3 suites
		case ok:
			cfg.CipherSuites = append(cfg.CipherSuites, id)
		default:
			return fmt.Errorf("client property ssl.cipher.suites: %q is not a cipher suite kq supports", name)
		}
	}
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
		if _, err := certs[0].Verify(opts); err != nil {
			return &tls.CertificateVerificationError{UnverifiedCertificates: certs, Err: err}
		}
		return nil
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
