package admin

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// applySecurity reads security.protocol and, as it asks, the ssl.* and
// sasl.* keys.
func applySecurity(cfg *ClientConfig, props map[string]string) error {
	useTLS, useSASL, err := securityProtocol(props["security.protocol"])
	if err != nil {
		return err
	}
	if err := checkUnused(props, useTLS, useSASL); err != nil {
		return err
	}
	if useTLS {
		t, err := tlsConfig(props)
		if err != nil {
			return err
		}
		cfg.TLS = t
	}
	if useSASL {
		m, err := saslMechanism(props, time.Now)
		if err != nil {
			return err
		}
		cfg.SASL, cfg.saslWatch = m, &saslWatch{}
	}
	return nil
}

// securityProtocol says whether Kafka's security.protocol means TLS, SASL,
// both or neither.
func securityProtocol(raw string) (useTLS, useSASL bool, err error) {
	switch strings.ToUpper(strings.TrimSpace(raw)) {
	case "", "PLAINTEXT":
		return false, false, nil
	case "SSL":
		return true, false, nil
	case "SASL_PLAINTEXT":
		return false, true, nil
	case "SASL_SSL":
		return true, true, nil
	}
	return false, false, fmt.Errorf("client property security.protocol: unknown protocol %q (want PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL)", raw)
}

// checkUnused refuses ssl.* keys without TLS and sasl.* keys without SASL:
// Kafka's client ignores them, which hides a forgotten security.protocol
// until the broker closes the connection.
func checkUnused(props map[string]string, useTLS, useSASL bool) error {
	keys := slices.Sorted(maps.Keys(props))
	for _, key := range keys {
		isTLS := strings.HasPrefix(key, "ssl.") || key == "enable.ssl.certificate.verification"
		isSASL := strings.HasPrefix(key, "sasl.")
		protocol := cmp.Or(props["security.protocol"], "PLAINTEXT")
		switch {
		case isTLS && !useTLS:
			return &PropertyError{Key: key, Err: fmt.Errorf("security.protocol=%s uses no TLS: set security.protocol=SSL or SASL_SSL, or remove it", protocol)}
		case isSASL && !useSASL:
			return &PropertyError{Key: key, Err: fmt.Errorf("security.protocol=%s uses no SASL: set security.protocol=SASL_SSL or SASL_PLAINTEXT, or remove it", protocol)}
		}
	}
	return nil
}
