package handler

import (
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/server"
)

// produceTxnAuthorization is KafkaApis' first Produce check: a
// transactional producer needs Write on its transactional id, else every
// partition fails with TRANSACTIONAL_ID_AUTHORIZATION_FAILED.
func (h *Handler) produceTxnAuthorization(req *server.Request, body *kmsg.ProduceRequest) int16 {
	if body.TransactionID != nil && !h.allowed(req, opWrite, resTxnID, *body.TransactionID) {
		return kerr.TransactionalIDAuthorizationFailed.Code
	}
	return 0
}

// produceDeniedTopics marks, by index in the request, the topics the
// principal may not Write (TOPIC_AUTHORIZATION_FAILED per partition; in
// Kafka 3.x Write on a topic is all an idempotent producer needs to
// append). It is nil, and costs nothing, when every topic is allowed.
func (h *Handler) produceDeniedTopics(req *server.Request, body *kmsg.ProduceRequest) []bool {
	if h.deps.Authorizer == nil {
		return nil
	}
	var denied []bool
	for i, rt := range body.Topics {
		if h.allowed(req, opWrite, resTopic, rt.Topic) {
			continue
		}
		if denied == nil {
			denied = make([]bool, len(body.Topics))
		}
		denied[i] = true
	}
	return denied
}
