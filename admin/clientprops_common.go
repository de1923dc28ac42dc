package admin

import (
	"math/rand/v2"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// defaultMetadataMinAge is franz-go's MetadataMinAge default, which must
// not exceed MetadataMaxAge.
const defaultMetadataMinAge = 5 * time.Second

const javaMetrics = "kq has no JMX metrics or Java metric reporters"

// commonRules are the properties every client reads: CommonClientConfigs,
// the admin client's and those the producer and consumer share.
func commonRules() []propertyRule {
	return []propertyRule{
		honoured("bootstrap.servers", ScopeAll, "seed brokers (kgo.SeedBrokers); --bootstrap-server wins over it", func(b *propertyBuilder, v string) error {
			b.cfg.Brokers = splitList(v)
			return nil
		}),
		honoured("client.id", ScopeAll, "kgo.ClientID", func(b *propertyBuilder, v string) error {
			b.cfg.ClientID = v
			return nil
		}),
		honoured("client.dns.lookup", ScopeAll, "use_all_dns_ips only: Go's dialer tries every address a name resolves to",
			only("Go's dialer always tries every address of a name", "use_all_dns_ips")),
		honoured("request.timeout.ms", ScopeAll, "how long kq waits for each admin request (default 30000); for producers also kgo.ProduceRequestTimeout", func(b *propertyBuilder, v string) error {
			d, err := parseMillis(v)
			b.cfg.RequestTimeout = d
			b.add(ScopeProducer, kgo.ProduceRequestTimeout(d))
			return err
		}),
		honoured("default.api.timeout.ms", ScopeAll, "how long kq waits for each admin request, as request.timeout.ms (which wins when both are set)", func(b *propertyBuilder, v string) error {
			d, err := parseMillis(v)
			if b.cfg.RequestTimeout == 0 {
				b.cfg.RequestTimeout = d
			}
			return err
		}),
		honoured("socket.connection.setup.timeout.ms", ScopeAll, "kgo.DialTimeout (default 10000)", func(b *propertyBuilder, v string) error {
			d, err := parseMillis(v)
			b.cfg.DialTimeout = max(b.cfg.DialTimeout, d)
			return err
		}),
		honoured("socket.connection.setup.timeout.max.ms", ScopeAll, "kgo.DialTimeout: the longer of it and socket.connection.setup.timeout.ms", func(b *propertyBuilder, v string) error {
			d, err := parseMillis(v)
			b.cfg.DialTimeout = max(b.cfg.DialTimeout, d)
			return err
		}),
		honoured("connections.max.idle.ms", ScopeAll, "kgo.ConnIdleTimeout", millisOpt(ScopeAll, kgo.ConnIdleTimeout)),
		honoured("metadata.max.age.ms", ScopeAll, "kgo.MetadataMaxAge (and kgo.MetadataMinAge when shorter than its 5 s default)", func(b *propertyBuilder, v string) error {
			d, err := parseMillis(v)
			b.add(ScopeAll, kgo.MetadataMaxAge(d))
			if d < defaultMetadataMinAge {
				b.add(ScopeAll, kgo.MetadataMinAge(d))
			}
			return err
		}),
		honoured("retries", ScopeAll, "kgo.RequestRetries and, for producers, kgo.RecordRetries", func(b *propertyBuilder, v string) error {
			n, err := parseInt32(v, 0)
			b.add(ScopeAll, kgo.RequestRetries(int(n)))
			b.add(ScopeProducer, kgo.RecordRetries(int(n)))
			return err
		}),
		honoured("retry.backoff.ms", ScopeAll, "kgo.RetryBackoffFn: the first wait, doubling up to retry.backoff.max.ms, with 20% jitter as Kafka does", func(b *propertyBuilder, v string) error {
			d, err := parseMillis(v)
			b.cfg.retryBackoff = d
			return err
		}),
		honoured("retry.backoff.max.ms", ScopeAll, "kgo.RetryBackoffFn: the longest wait between retries (default 1000)", func(b *propertyBuilder, v string) error {
			d, err := parseMillis(v)
			b.cfg.retryBackoffMax = d
			return err
		}),
		honoured("enable.metrics.push", ScopeAll, "false is kgo.DisableClientMetrics; true (the default) lets franz-go push KIP-714 metrics to brokers that ask", func(b *propertyBuilder, v string) error {
			on, err := parseBool(v)
			if err == nil && !on {
				b.add(ScopeAll, kgo.DisableClientMetrics())
			}
			return err
		}),
		refused("reconnect.backoff.ms", ScopeAll, "franz-go reconnects with the retry backoff: set retry.backoff.ms"),
		refused("reconnect.backoff.max.ms", ScopeAll, "franz-go reconnects with the retry backoff: set retry.backoff.max.ms"),
		refused("receive.buffer.bytes", ScopeAll, "the operating system sizes socket buffers (TCP autotuning)"),
		refused("send.buffer.bytes", ScopeAll, "the operating system sizes socket buffers (TCP autotuning)"),
		refused("metric.reporters", ScopeAll, javaMetrics),
		refused("metrics.num.samples", ScopeAll, javaMetrics),
		refused("metrics.recording.level", ScopeAll, javaMetrics),
		refused("metrics.sample.window.ms", ScopeAll, javaMetrics),
		refused("auto.include.jmx.reporter", ScopeAll, javaMetrics),
		refused("interceptor.classes", ScopeAll, "kq cannot load Java classes"),
		refused("security.providers", ScopeAll, "kq cannot load Java security providers"),
	}
}

// backoff is Kafka's exponential retry backoff: base doubled per try up to
// maxWait, then spread by +-20%.
func backoff(base, maxWait time.Duration) func(int) time.Duration {
	return func(tries int) time.Duration {
		d := base
		for i := 1; i < tries && d < maxWait; i++ {
			d *= 2
		}
		d = min(d, maxWait)
		jitter := 0.8 + 0.4*rand.Float64()
		return time.Duration(float64(d) * jitter)
	}
}
