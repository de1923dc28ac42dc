package config

import (
	"net"
	"strconv"
	"strings"
)

// Metrics holds kq's own observability settings; Kafka has no equivalent
// keys (it exposes JMX, scraped by a separate exporter).
type Metrics struct {
	// MetricsListener is kq.metrics.listener as host:port (an http://
	// prefix removed), or "" when the broker serves no metrics endpoint.
	MetricsListener string
}

// metricsListenerKey names the address of the broker's HTTP endpoint for
// /metrics, /healthz and /readyz. It is off by default: Kafka opens no
// metrics port unless asked (JMX_PORT), and a fixed default port would
// collide as soon as two brokers share a host.
const metricsListenerKey = "kq.metrics.listener"

func metricsListenerDefs() []Def {
	return []Def{
		{Name: metricsListenerKey, Type: typeString, Default: "", valid: hostPortOrEmpty{}, Importance: Medium,
			Doc:  "host:port (or http://host:port) on which the broker serves Prometheus /metrics, /healthz and /readyz; empty serves none.",
			Note: "kq only: replaces Kafka's JMX exporter. With kq server --brokers N the port is shifted per broker like listeners."},
	}
}

func fillMetrics(r *reader) Metrics {
	return Metrics{MetricsListener: trimHTTP(r.str(metricsListenerKey))}
}

func trimHTTP(v string) string { return strings.TrimPrefix(strings.TrimSpace(v), "http://") }

// hostPortOrEmpty accepts "" or host:port with a numeric port.
type hostPortOrEmpty struct{}

func (hostPortOrEmpty) check(key string, v any) error {
	s, _ := v.(string)
	if s = trimHTTP(s); s == "" {
		return nil
	}
	if _, port, err := net.SplitHostPort(s); err != nil || !isPort(port) {
		return invalidValue(key, s, "Expected host:port, e.g. 127.0.0.1:9404")
	}
	return nil
}

func (hostPortOrEmpty) String() string { return "host:port, or empty" }

func isPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n >= 0 && n <= 65535
}
