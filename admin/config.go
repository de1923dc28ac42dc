package admin

import (
	"crypto/tls"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl"
)

// DefaultRequestTimeout bounds each admin request, as Kafka's
// request.timeout.ms default.
const DefaultRequestTimeout = 30 * time.Second

// DefaultDialTimeout is Kafka's socket.connection.setup.timeout.max.ms.
const DefaultDialTimeout = 10 * time.Second

// ClientConfig is how to reach and authenticate to a cluster. The zero value
// plus Brokers is a plaintext, unauthenticated client.
type ClientConfig struct {
	Brokers        []string
	ClientID       string
	DialTimeout    time.Duration // 0 means DefaultDialTimeout
	RequestTimeout time.Duration // 0 means DefaultRequestTimeout
	TLS            *tls.Config   // nil for plaintext
	SASL           sasl.Mechanism
	// Properties keeps every client property given, so producers and
	// consumers can read their own keys (acks, linger.ms, ...).
	Properties map[string]string
}

func (c ClientConfig) requestTimeout() time.Duration {
	if c.RequestTimeout > 0 {
		return c.RequestTimeout
	}
	return DefaultRequestTimeout
}

func (c ClientConfig) kgoOpts() []kgo.Opt {
	dial := c.DialTimeout
	if dial <= 0 {
		dial = DefaultDialTimeout
	}
	opts := []kgo.Opt{
		kgo.SeedBrokers(c.Brokers...),
		kgo.DialTimeout(dial),
		kgo.SoftwareNameAndVersion("kq", "0"),
	}
	if c.ClientID != "" {
		opts = append(opts, kgo.ClientID(c.ClientID))
	}
	if c.TLS != nil {
		opts = append(opts, kgo.DialTLSConfig(c.TLS.Clone()))
	}
	if c.SASL != nil {
		opts = append(opts, kgo.SASL(c.SASL))
	}
	return opts
}

// knownProducerConsumerKeys are client properties the producer and consumer
// read; ClientConfigFromProperties accepts them without a warning.
var knownProducerConsumerKeys = map[string]bool{
	"acks": true, "compression.type": true, "linger.ms": true, "batch.size": true,
	"enable.idempotence": true, "delivery.timeout.ms": true, "max.request.size": true,
	"retries": true, "isolation.level": true, "fetch.max.wait.ms": true,
	"fetch.min.bytes": true, "fetch.max.bytes": true, "max.partition.fetch.bytes": true,
	"group.id": true, "auto.offset.reset": true,
	"transactional.id": true, "transaction.timeout.ms": true,
}

// ClientConfigFromProperties builds a ClientConfig from Kafka client
// properties (bootstrap.servers, client.id, request.timeout.ms,
// socket.connection.setup.timeout.ms, security.protocol, sasl.*, ssl.*).
// It returns the keys it does not recognise, sorted, so the caller can warn
// as Kafka does ("supplied but isn't a known config").
func ClientConfigFromProperties(props map[string]string) (ClientConfig, []string, error) {
	cfg := ClientConfig{Properties: props}
	var unknown []string
	for key, value := range props {
		known, err := applyConnectionProperty(&cfg, key, value)
		if err != nil {
			return ClientConfig{}, nil, fmt.Errorf("client property %s: %w", key, err)
		}
		if !known && !knownProducerConsumerKeys[key] && !isSecurityKey(key) {
			unknown = append(unknown, key)
		}
	}
	sort.Strings(unknown)
	if err := applySecurity(&cfg, props); err != nil {
		return ClientConfig{}, nil, err
	}
	return cfg, unknown, nil
}

func applyConnectionProperty(cfg *ClientConfig, key, value string) (bool, error) {
	switch key {
	case "bootstrap.servers":
		cfg.Brokers = splitList(value)
	case "client.id":
		cfg.ClientID = value
	case "request.timeout.ms", "default.api.timeout.ms":
		d, err := parseMillis(value)
		cfg.RequestTimeout = d
		return true, err
	case "socket.connection.setup.timeout.ms", "socket.connection.setup.timeout.max.ms":
		d, err := parseMillis(value)
		cfg.DialTimeout = d
		return true, err
	default:
		return false, nil
	}
	return true, nil
}

func parseMillis(value string) (time.Duration, error) {
	ms, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
	if err != nil || ms < 0 {
		return 0, fmt.Errorf("want a non-negative number of milliseconds, got %q", value)
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// splitList splits a comma-separated list, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
