package admin

import (
	"reflect"
	"testing"
	"time"
)

func TestClientConfigFromProperties(t *testing.T) {
	tests := []struct {
		name        string
		props       map[string]string
		wantBrokers []string
		wantTimeout time.Duration
		wantSASL    string
		wantTLS     bool
		wantUnknown []string
		wantErr     bool
	}{
		{name: "plain", props: map[string]string{"bootstrap.servers": "a:1, b:2", "request.timeout.ms": "500"},
			wantBrokers: []string{"a:1", "b:2"}, wantTimeout: 500 * time.Millisecond},
		{name: "unknown keys are reported", props: map[string]string{"foo": "1", "acks": "all", "bar": "2"},
			wantUnknown: []string{"bar", "foo"}},
		{name: "sasl plain from jaas", props: map[string]string{"security.protocol": "SASL_PLAINTEXT",
			"sasl.jaas.config": `x required username="alice" password="s\"cret";`}, wantSASL: "PLAIN"},
		{name: "scram", props: map[string]string{"security.protocol": "sasl_ssl", "sasl.mechanism": "SCRAM-SHA-512",
			"sasl.username": "u", "sasl.password": "p"}, wantSASL: "SCRAM-SHA-512", wantTLS: true},
		{name: "ssl", props: map[string]string{"security.protocol": "SSL"}, wantTLS: true},
		{name: "sasl without credentials", props: map[string]string{"security.protocol": "SASL_PLAINTEXT"}, wantErr: true},
		{name: "gssapi", props: map[string]string{"security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "GSSAPI",
			"sasl.username": "u", "sasl.password": "p"}, wantErr: true},
		{name: "bad protocol", props: map[string]string{"security.protocol": "TLS"}, wantErr: true},
		{name: "jks", props: map[string]string{"security.protocol": "SSL", "ssl.truststore.type": "JKS"}, wantErr: true},
		{name: "bad timeout", props: map[string]string{"request.timeout.ms": "soon"}, wantErr: true},
		{name: "missing CA file", props: map[string]string{"security.protocol": "SSL", "ssl.ca.location": "/nonexistent/ca.pem"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, unknown, err := ClientConfigFromProperties(tt.props)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil {
				return
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
			if !reflect.DeepEqual(unknown, tt.wantUnknown) {
				t.Errorf("unknown %v, want %v", unknown, tt.wantUnknown)
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

func TestSASLCredentialsFromJAAS(t *testing.T) {
	user, pass := saslCredentials(map[string]string{
		"sasl.jaas.config": `org.apache.kafka.common.security.scram.ScramLoginModule required username="bob" password="p\"w";`,
	})
	if user != "bob" || pass != `p"w` {
		t.Fatalf("got %q %q", user, pass)
	}
}
