package admin

import (
	"sync/atomic"

	"github.com/twmb/franz-go/pkg/kgo"
)

// saslWatch notes a broker closing the connection in the middle of the
// SASL exchange. Kafka answers SASL_AUTHENTICATION_FAILED, but brokers
// speaking SaslHandshake v0, and some servers (franz-go's kfake among
// them), drop the connection on bad credentials; the request then fails
// with a bare EOF that says nothing about SASL.
type saslWatch struct{ dropped atomic.Bool }

// The SASL requests' API keys.
const (
	saslHandshakeKey    = 17
	saslAuthenticateKey = 36
)

// OnBrokerE2E implements kgo.HookBrokerE2E.
func (w *saslWatch) OnBrokerE2E(_ kgo.BrokerMetadata, key int16, e2e kgo.BrokerE2E) {
	if (key == saslHandshakeKey || key == saslAuthenticateKey) && e2e.Err() != nil {
		w.dropped.Store(true)
	}
}

// ExplainFailure is ExplainSecurityFailure, and also recognises a failure
// that followed a connection dropped during this configuration's SASL
// exchange.
func (c ClientConfig) ExplainFailure(err error) *SecurityFailure {
	if sf := ExplainSecurityFailure(err); sf != nil || err == nil {
		return sf
	}
	if c.saslWatch != nil && c.saslWatch.dropped.Load() {
		return &SecurityFailure{Stage: StageCredentials, Err: err,
			Message: "SASL authentication failed: the broker closed the connection during the SASL exchange (it does that for rejected credentials: check the user and password in sasl.jaas.config, and sasl.mechanism)"}
	}
	return nil
}
