package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/server"
	"github.com/kqhq/kq/daemon/internal/txn"
)

// InitProducerID v0-5. Without a transactional id (an idempotent
// producer) every call gets a fresh producer id at epoch 0. With one, the
// transaction coordinator gives the id's producer id and a new epoch,
// fencing older instances; the answer waits for its write to
// __transaction_state. Versions before 4 get INVALID_PRODUCER_EPOCH where
// newer ones get PRODUCER_FENCED.
func (h *Handler) initProducerID(ctx context.Context, req *server.Request) (*server.Response, error) {
	body := req.Body.(*kmsg.InitProducerIDRequest)
	resp := body.ResponseKind().(*kmsg.InitProducerIDResponse)
	resp.ProducerID, resp.ProducerEpoch = -1, -1
	if body.Version >= 3 && (body.ProducerID == -1) != (body.ProducerEpoch == -1) {
		resp.ErrorCode = kerr.InvalidRequest.Code // an id without an epoch, or the reverse
		return &server.Response{Msg: resp}, nil
	}
	if code := h.initProducerIDAuthorization(req, body); code != 0 {
		resp.ErrorCode = code
		return &server.Response{Msg: resp}, nil
	}
	if body.TransactionalID == nil {
		id, err := h.deps.ProducerIDs.NextProducerID(ctx)
		if err != nil {
			h.log.Warn("allocate producer id", "err", err)
			resp.ErrorCode = kerr.CoordinatorNotAvailable.Code
			return &server.Response{Msg: resp}, nil
		}
		resp.ProducerID, resp.ProducerEpoch = id, 0
		return &server.Response{Msg: resp}, nil
	}
	if h.deps.Txns == nil {
		resp.ErrorCode = kerr.CoordinatorNotAvailable.Code
		return &server.Response{Msg: resp}, nil
	}
	ireq := txn.InitRequest{
		TransactionalID: *body.TransactionalID, TimeoutMs: body.TransactionTimeoutMillis,
		ProducerID: body.ProducerID, ProducerEpoch: body.ProducerEpoch,
	}
	if body.Version < 3 { // the producer's id and epoch arrived in v3 (KIP-360)
		ireq.ProducerID, ireq.ProducerEpoch = -1, -1
	}
	out, complete := parked(ctx)
	h.deps.Txns.InitProducerID(ireq, func(r txn.InitResult) {
		resp.ProducerID, resp.ProducerEpoch = r.ProducerID, r.ProducerEpoch
		resp.ErrorCode = txnErrorCode(r.Err, body.Version, 4)
		complete(resp)
	})
	return out, nil
}
