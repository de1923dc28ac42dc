package admin

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

func TestClientConfigFromProperties(t *testing.T) {
	tests := []struct {
		name        string
		props       map[string]string
		wantBrokers []string
		wantTimeout time.Duration
		wantSASL    string
		wantTLS     bool
		wantErr     string
	}{
		{name: "plain", props: map[string]string{"bootstrap.servers": "a:1, b:2", "request.timeout.ms": "500"},
			wantBrokers: []string{"a:1", "b:2"}, wantTimeout: 500 * time.Millisecond},
		{name: "unknown key", props: map[string]string{"foo": "1", "acks": "all"}, wantErr: "client property foo: unknown"},
		{name: "refused key", props: map[string]string{"interceptor.classes": "x.Y"}, wantErr: "client property interceptor.classes: not supported by kq: kq cannot load Java classes"},
		{name: "sasl plain from jaas", props: map[string]string{"security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "PLAIN",
			"sasl.jaas.config": plainLoginModule + ` required username="alice" password="s\"cret";`}, wantSASL: "PLAIN"},
		{name: "scram, librdkafka keys", props: map[string]string{"security.protocol": "sasl_ssl", "sasl.mechanism": "SCRAM-SHA-512",
			"sasl.username": "u", "sasl.password": "p"}, wantSASL: "SCRAM-SHA-512", wantTLS: true},
		{name: "oauthbearer", props: map[string]string{"security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "OAUTHBEARER",
			"sasl.jaas.config": oauthLoginModule + ` required unsecuredLoginStringClaim_sub="alice";`}, wantSASL: "OAUTHBEARER"},
		{name: "ssl", props: map[string]string{"security.protocol": "SSL"}, wantTLS: true},
		{name: "sasl without credentials", props: map[string]string{"security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "PLAIN"}, wantErr: "SASL needs credentials"},
		{name: "sasl without mechanism is Kafka's GSSAPI", props: map[string]string{"security.protocol": "SASL_PLAINTEXT",
			"sasl.username": "u", "sasl.password": "p"}, wantErr: "GSSAPI"},
		{name: "module does not fit mechanism", props: map[string]string{"security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "OAUTHBEARER",
			"sasl.jaas.config": plainLoginModule + ` required username="u" password="p";`}, wantErr: "needs " + oauthLoginModule},
		{name: "bad protocol", props: map[string]string{"security.protocol": "TLS"}, wantErr: "security.protocol"},
		{name: "bad store type", props: map[string]string{"security.protocol": "SSL", "ssl.truststore.type": "BKS", "ssl.truststore.location": "/etc/hostname"}, wantErr: "ssl.truststore.type"},
		{name: "bad timeout", props: map[string]string{"request.timeout.ms": "soon"}, wantErr: "client property request.timeout.ms"},
		{name: "missing CA file", props: map[string]string{"security.protocol": "SSL", "ssl.ca.location": "/nonexistent/ca.pem"}, wantErr: "read truststore"},
		{name: "tls 1.1 refused", props: map[string]string{"security.protocol": "SSL", "ssl.enabled.protocols": "TLSv1.1"}, wantErr: "ssl.enabled.protocols"},
		{name: "Java default key manager", props: map[string]string{"security.protocol": "SSL", "ssl.keymanager.algorithm": "SunX509"}, wantTLS: true},
		{name: "other key manager", props: map[string]string{"security.protocol": "SSL", "ssl.keymanager.algorithm": "NewSunX509"}, wantErr: "ssl.keymanager.algorithm: not supported"},
		{name: "ssl key without TLS", props: map[string]string{"ssl.truststore.location": "/etc/ca.pem"}, wantErr: "client property ssl.truststore.location: security.protocol=PLAINTEXT uses no TLS"},
		{name: "sasl key without SASL", props: map[string]string{"security.protocol": "SSL", "sasl.mechanism": "PLAIN"}, wantErr: "client property sasl.mechanism: security.protocol=SSL uses no SASL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := ClientConfigFromProperties(tt.props)
			if tt.wantErr != "" {
				var ce *ConfigError
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.As(err, &ce) {
					t.Fatalf("err = %v, want a ConfigError containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(cfg.Brokers, tt.wantBrokers) || cfg.RequestTimeout != tt.wantTimeout {
				t.Errorf("brokers %v timeout %v", cfg.Brokers, cfg.RequestTimeout)
			}
			if got := saslName(cfg); got != tt.wantSASL {
				t.Errorf("sasl %q, want %q", got, tt.wantSASL)
			}
			if (cfg.TLS != nil) != tt.wantTLS {
				t.Errorf("tls %v, want %v", cfg.TLS != nil, tt.wantTLS)
			}
		})
	}
}

func saslName(cfg ClientConfig) string {
	if cfg.SASL == nil {
		return ""
	}
	return cfg.SASL.Name()
}

// TestSecretsNeverInErrors: a malformed value of a secret property is
// reported without the value.
func TestSecretsNeverInErrors(t *testing.T) {
	const pw = "hunter2-secret"
	cases := []map[string]string{
		{"security.protocol": "SASL_SSL", "sasl.mechanism": "PLAIN", "sasl.jaas.config": plainLoginModule + ` required username="u" password="` + pw},
		{"security.protocol": "SASL_SSL", "sasl.mechanism": "PLAIN", "sasl.jaas.config": plainLoginModule + ` required username="u" password=` + pw + `!;`},
		{"security.protocol": "SASL_SSL", "sasl.mechanism": "SCRAM-SHA-256", "sasl.jaas.config": plainLoginModule + ` required password="` + pw + `";`},
		{"security.protocol": "SSL", "ssl.keystore.key": "-----BEGIN PRIVATE KEY-----\n" + pw + "\n-----END PRIVATE KEY-----\n", "ssl.keystore.certificate.chain": "x"},
		{"security.protocol": "SSL", "ssl.truststore.location": "/etc/hostname", "ssl.truststore.type": "PEM", "ssl.truststore.password": pw},
	}
	for i, props := range cases {
		_, err := ClientConfigFromProperties(props)
		if err == nil {
			t.Fatalf("case %d: accepted", i)
		}
		if strings.Contains(err.Error(), pw) {
			t.Errorf("case %d: the error shows the secret: %v", i, err)
		}
	}
}

// optValue builds a client from the options of scope s and reads opt back.
func optValue(t *testing.T, cfg ClientConfig, s Scope, opt any) any {
	t.Helper()
	opts := append(cfg.kgoOpts(), cfg.scopeOpts[s]...)
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	return cl.OptValue(opt)
}

// TestPropertiesMapToKgoOptions: each property given reaches franz-go as
// its option, read back from the client.
func TestPropertiesMapToKgoOptions(t *testing.T) {
	tests := []struct {
		key, value string
		scope      Scope
		opt        any
		want       any
	}{
		{"client.id", "kq-test", ScopeAll, kgo.ClientID, kgo.ClientID("x")},
		{"connections.max.idle.ms", "1234", ScopeAll, kgo.ConnIdleTimeout, 1234 * time.Millisecond},
		{"metadata.max.age.ms", "4321", ScopeAll, kgo.MetadataMaxAge, 4321 * time.Millisecond},
		{"retries", "7", ScopeAll, kgo.RequestRetries, int64(7)},
		{"retries", "7", ScopeProducer, kgo.RecordRetries, int64(7)},
		{"socket.connection.setup.timeout.max.ms", "2500", ScopeAll, kgo.DialTimeout, 2500 * time.Millisecond},
		{"request.timeout.ms", "2000", ScopeProducer, kgo.ProduceRequestTimeout, 2 * time.Second},
		{"buffer.memory", "1000000", ScopeProducer, kgo.MaxBufferedBytes, int64(1000000)},
		{"fetch.min.bytes", "10", ScopeConsumer, kgo.FetchMinBytes, int32(10)},
		{"fetch.max.bytes", "2000000", ScopeConsumer, kgo.FetchMaxBytes, int32(2000000)},
		{"fetch.max.wait.ms", "250", ScopeConsumer, kgo.FetchMaxWait, 250 * time.Millisecond},
		{"max.partition.fetch.bytes", "4096", ScopeConsumer, kgo.FetchMaxPartitionBytes, int32(4096)},
		{"client.rack", "rack-a", ScopeConsumer, kgo.Rack, "rack-a"},
		{"check.crcs", "false", ScopeConsumer, kgo.DisableFetchCRCValidation, true},
	}
	for _, tt := range tests {
		t.Run(tt.key+"/"+tt.scope.String(), func(t *testing.T) {
			cfg, err := ClientConfigFromProperties(map[string]string{"bootstrap.servers": "localhost:1", tt.key: tt.value})
			if err != nil {
				t.Fatal(err)
			}
			got := optValue(t, cfg, tt.scope, tt.opt)
			want := tt.want
			if tt.key == "client.id" {
				want = tt.value
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s=%s: %v (%T), want %v (%T)", tt.key, tt.value, got, got, want, want)
			}
		})
	}
}

// TestProducerProperties: properties that combine with the producer's
// own settings take effect in NewProducer.
func TestProducerProperties(t *testing.T) {
	build := func(props map[string]string, pc ProducerConfig) (*Producer, error) {
		props["bootstrap.servers"] = "localhost:1"
		cfg, err := ClientConfigFromProperties(props)
		if err != nil {
			return nil, err
		}
		return NewProducer(cfg, pc)
	}
	p, err := build(map[string]string{"max.in.flight.requests.per.connection": "3"}, ProducerConfig{Acks: AcksLeader})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.cl.OptValue(kgo.MaxProduceRequestsInflightPerBroker); got != 3 {
		t.Errorf("in flight %v, want 3", got)
	}
	p.Close()
	_, err = build(map[string]string{"max.in.flight.requests.per.connection": "6"}, ProducerConfig{Acks: AcksAll, Idempotent: true})
	var ce *ConfigError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "max.in.flight.requests.per.connection") {
		t.Errorf("6 in flight with idempotence: %v", err)
	}
	p, err = build(map[string]string{"max.block.ms": "1500"}, ProducerConfig{Acks: AcksAll})
	if err != nil {
		t.Fatal(err)
	}
	if p.maxBlock != 1500*time.Millisecond {
		t.Errorf("max.block.ms: %v", p.maxBlock)
	}
	p.Close()
}

// TestConsumerGroupProperties: group properties reach a group member's
// client; enable.auto.commit=false turns committing off.
func TestConsumerGroupProperties(t *testing.T) {
	cfg, err := ClientConfigFromProperties(map[string]string{"bootstrap.servers": "localhost:1",
		"session.timeout.ms": "12000", "heartbeat.interval.ms": "700", "max.poll.interval.ms": "90000",
		"group.instance.id": "static-1", "enable.auto.commit": "false", "auto.commit.interval.ms": "2500",
		"max.poll.records": "10", "partition.assignment.strategy": "org.apache.kafka.clients.consumer.RangeAssignor"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewConsumer(cfg, ConsumerConfig{Group: "g", Topics: []string{"t"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for opt, want := range map[string]any{"SessionTimeout": 12 * time.Second, "HeartbeatInterval": 700 * time.Millisecond,
		"RebalanceTimeout": 90 * time.Second, "AutoCommitInterval": 2500 * time.Millisecond} {
		if got := c.cl.OptValue(opt); got != want {
			t.Errorf("%s = %v, want %v", opt, got, want)
		}
	}
	if got := c.cl.OptValue(kgo.InstanceID); got != "static-1" {
		t.Errorf("InstanceID = %v", got)
	}
	if c.commit || c.maxPoll != 10 || c.cl.OptValue(kgo.DisableAutoCommit) != true {
		t.Errorf("commit %v maxPoll %d", c.commit, c.maxPoll)
	}
}

// TestClientPropertyTable: every row either honours or refuses, never
// both or neither, and no name is listed twice.
func TestClientPropertyTable(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range allRules() {
		if seen[r.Name] {
			t.Errorf("%s listed twice", r.Name)
		}
		seen[r.Name] = true
		if (r.Meaning == "") == (r.Refused == "") {
			t.Errorf("%s: want exactly one of Meaning and Refused", r.Name)
		}
		if r.Refused != "" && r.apply != nil {
			t.Errorf("%s: a refused property has no apply", r.Name)
		}
	}
	for _, r := range allRules() {
		if r.Refused == "" {
			continue
		}
		_, err := ClientConfigFromProperties(map[string]string{r.Name: "1"})
		if !errors.Is(err, ErrRefusedProperty) || !strings.Contains(err.Error(), r.Name) {
			t.Errorf("%s: %v, want a refusal naming it", r.Name, err)
		}
	}
}

// FuzzClientConfigFromProperties: any value of any property is accepted or
// refused without a panic, and a secret's value never shows in the error.
func FuzzClientConfigFromProperties(f *testing.F) {
	names := make([]string, 0, len(propertyRules))
	for _, p := range ClientProperties() {
		names = append(names, p.Name)
	}
	f.Add(uint16(0), "SASL_SSL", "PLAIN", plainLoginModule+` required username="u" password="p";`)
	f.Add(uint16(3), "SSL", "-----BEGIN CERTIFICATE----- x -----END CERTIFICATE-----", "1")
	f.Add(uint16(40), "SASL_PLAINTEXT", "OAUTHBEARER", oauthLoginModule+` required unsecuredLoginStringClaim_sub="a";`)
	f.Fuzz(func(t *testing.T, pick uint16, protocol, a, b string) {
		key := names[int(pick)%len(names)]
		props := map[string]string{"security.protocol": protocol, key: a, "sasl.mechanism": "PLAIN", "sasl.jaas.config": b}
		_, err := ClientConfigFromProperties(props)
		if err == nil {
			return
		}
		shown := err.Error()
		for k, v := range props {
			if !isSecret(k) && v != "" {
				shown = strings.ReplaceAll(shown, v, "") // a value that is not secret may show
			}
		}
		for k, v := range props {
			if isSecret(k) && len(v) >= 8 && strings.Contains(shown, v) {
				t.Fatalf("the value of %s shows in %v", k, err)
			}
		}
	})
}
