package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/server"
)

// SaslAuthenticate v0-2. Like SaslHandshake, the server's authenticator
// answers it on SASL listeners; one that reaches the handler gets Kafka's
// ILLEGAL_SASL_STATE.
func (h *Handler) saslAuthenticate(_ context.Context, _ *server.Request, req *kmsg.SASLAuthenticateRequest) (kmsg.Response, error) {
	resp := req.ResponseKind().(*kmsg.SASLAuthenticateResponse)
	resp.ErrorCode = kerr.IllegalSaslState.Code
	msg := "SaslAuthenticate request received after successful authentication"
	resp.ErrorMessage = &msg
	return resp, nil
}
