package admin

import (
	"crypto/tls"
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
	// consumers can read their own keys (acks, group.id, ...). It holds
	// secrets: never print it.
	Properties map[string]string

	// What the other properties map to: franz-go options per scope, those
	// only a group member takes, and settings combined at build time.
	scopeOpts       map[Scope][]kgo.Opt
	groupOpts       []kgo.Opt
	retryBackoff    time.Duration
	retryBackoffMax time.Duration
	producer        producerSettings
	consumer        consumerSettings
	// saslWatch is shared by every client of this configuration.
	saslWatch *saslWatch
}

func (c ClientConfig) requestTimeout() time.Duration {
	if c.RequestTimeout > 0 {
		return c.RequestTimeout
	}
	return DefaultRequestTimeout
}

// Kafka's retry.backoff.ms and retry.backoff.max.ms defaults.
const (
	defaultRetryBackoff    = 100 * time.Millisecond
	defaultRetryBackoffMax = time.Second
)

// kgoOpts are the options of every client: connection, security and the
// properties of scope all.
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
	if c.saslWatch != nil {
		opts = append(opts, kgo.WithHooks(c.saslWatch))
	}
	if c.retryBackoff > 0 || c.retryBackoffMax > 0 {
		base, maxWait := c.retryBackoff, c.retryBackoffMax
		if base <= 0 {
			base = defaultRetryBackoff
		}
		if maxWait <= 0 {
			maxWait = max(base, defaultRetryBackoffMax)
		}
		opts = append(opts, kgo.RetryBackoffFn(backoff(base, maxWait)))
	}
	return append(opts, c.scopeOpts[ScopeAll]...)
}

// ClientConfigFromProperties builds a ClientConfig from Kafka client
// properties. Every key must be in the client-property table
// ([ClientProperties]); an unknown, refused or malformed one is a
// *PropertyError naming it. Properties of the producer and consumer scopes
// are checked here and take effect in the producer and consumer.
func ClientConfigFromProperties(props map[string]string) (ClientConfig, error) {
	cfg := ClientConfig{Properties: props, scopeOpts: map[Scope][]kgo.Opt{}}
	if err := applyProperties(&cfg, props); err != nil {
		return ClientConfig{}, &ConfigError{Err: err}
	}
	if err := applySecurity(&cfg, props); err != nil {
		return ClientConfig{}, &ConfigError{Err: err}
	}
	return cfg, nil
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
