package admin

import (
	"fmt"
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
		cfg.SASL = m
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
