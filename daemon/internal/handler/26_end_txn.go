package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/server"
)

// EndTxn v0-4: commit or abort the producer's transaction. The answer
// waits until PrepareCommit or PrepareAbort is written to
// __transaction_state; the markers follow. Versions before 2 get
// INVALID_PRODUCER_EPOCH where newer ones get PRODUCER_FENCED.
func (h *Handler) endTxn(ctx context.Context, req *server.Request) (*server.Response, error) {
	body := req.Body.(*kmsg.EndTxnRequest)
	resp := body.ResponseKind().(*kmsg.EndTxnResponse)
	if !h.allowed(req, opWrite, resTxnID, body.TransactionalID) {
		resp.ErrorCode = kerr.TransactionalIDAuthorizationFailed.Code
		return &server.Response{Msg: resp}, nil
	}
	if h.deps.Txns == nil {
		resp.ErrorCode = kerr.CoordinatorNotAvailable.Code
		return &server.Response{Msg: resp}, nil
	}
	out, complete := parked(ctx)
	h.deps.Txns.EndTxn(body.TransactionalID, body.ProducerID, body.ProducerEpoch, body.Commit, func(err error) {
		resp.ErrorCode = txnErrorCode(err, body.Version, 2)
		complete(resp)
	})
	return out, nil
}
