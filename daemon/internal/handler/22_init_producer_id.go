package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/server"
)

// InitProducerID v0-5 for idempotent producers: a fresh producer id at
// epoch 0. Transactional ids need the transaction coordinator, which kq
// does not have yet: those requests get INVALID_REQUEST so the client fails
// at once instead of retrying.
func (h *Handler) initProducerID(ctx context.Context, _ *server.Request, body *kmsg.InitProducerIDRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.InitProducerIDResponse)
	resp.ProducerID, resp.ProducerEpoch = -1, -1
	if body.TransactionalID != nil {
		resp.ErrorCode = kerr.InvalidRequest.Code
		return resp, nil
	}
	id, err := h.deps.ProducerIDs.NextProducerID(ctx)
	if err != nil {
		h.log.Warn("allocate producer id", "err", err)
		resp.ErrorCode = kerr.CoordinatorNotAvailable.Code
		return resp, nil
	}
	resp.ProducerID, resp.ProducerEpoch = id, 0
	return resp, nil
}
