package admin

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

func TestExplainSecurityFailure(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("metadata: unable to dial: %w", err) }
	tests := []struct {
		name  string
		err   error
		stage SecurityStage
		want  string
	}{
		{"untrusted CA", wrap(&tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}), StageTLS, "not signed by a trusted CA"},
		{"host name", wrap(x509.HostnameError{Certificate: &x509.Certificate{}, Host: "kafka1"}), StageTLS, "not valid for kafka1"},
		{"expired", wrap(x509.CertificateInvalidError{Reason: x509.Expired}), StageTLS, "not valid (expired"},
		{"not TLS", wrap(tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}), StageTLS, "did not answer in TLS"},
		{"alert", wrap(&net.OpError{Op: "remote error", Err: errors.New("tls: certificate required")}), StageTLS, "the broker refused it"},
		{"bad credentials", fmt.Errorf("%w: Authentication failed", kerr.SaslAuthenticationFailed), StageCredentials, "rejected the credentials"},
		{"mechanism", kerr.UnsupportedSaslMechanism, StageSASL, "does not enable this sasl.mechanism"},
		{"state", kerr.IllegalSaslState, StageSASL, "did not expect SASL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sf := ExplainSecurityFailure(tt.err)
			if sf == nil || sf.Stage != tt.stage || !strings.Contains(sf.Error(), tt.want) {
				t.Fatalf("got %+v, want stage %s with %q", sf, tt.stage, tt.want)
			}
			if !errors.Is(sf, tt.err) || Classify(tt.err) != ClassAuth {
				t.Fatalf("the cause is lost or not ClassAuth: %v", sf)
			}
		})
	}
	for _, err := range []error{nil, io.EOF, kerr.UnknownTopicOrPartition, &net.OpError{Op: "dial", Err: errors.New("connection refused")}} {
		if sf := ExplainSecurityFailure(err); sf != nil {
			t.Errorf("%v explained as %v", err, sf)
		}
	}
}

// TestExplainFailureAfterDroppedSASL: a bare EOF after the broker dropped
// the connection during the SASL exchange is a credentials failure; the
// same EOF without it is not.
func TestExplainFailureAfterDroppedSASL(t *testing.T) {
	cfg, err := ClientConfigFromProperties(map[string]string{"security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "PLAIN",
		"sasl.jaas.config": plainLoginModule + ` required username="u" password="p";`})
	if err != nil {
		t.Fatal(err)
	}
	failure := fmt.Errorf("metadata: %w", io.EOF)
	if sf := cfg.ExplainFailure(failure); sf != nil {
		t.Fatalf("explained before any SASL exchange: %v", sf)
	}
	cfg.saslWatch.OnBrokerE2E(kgo.BrokerMetadata{}, saslAuthenticateKey, kgo.BrokerE2E{ReadErr: io.EOF})
	if sf := cfg.ExplainFailure(failure); sf == nil || sf.Stage != StageCredentials {
		t.Fatalf("after a dropped SaslAuthenticate: %v", sf)
	}
	if sf := cfg.ExplainFailure(nil); sf != nil {
		t.Fatalf("nil explained: %v", sf)
	}
}
