package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/server"
)

// SaslHandshake v0-1. On a SASL listener the server's authenticator
// answers it before authentication and when it begins a re-authentication
// (daemon/internal/server/sasl_conn.go); one that reaches the handler is
// out of place (a PLAINTEXT or SSL listener, or an authenticated connection
// that cannot re-authenticate), and Kafka's KafkaApis answers it with
// ILLEGAL_SASL_STATE.
func (h *Handler) saslHandshake(_ context.Context, _ *server.Request, req *kmsg.SASLHandshakeRequest) (kmsg.Response, error) {
	resp := req.ResponseKind().(*kmsg.SASLHandshakeResponse)
	resp.ErrorCode = kerr.IllegalSaslState.Code
	return resp, nil
}
