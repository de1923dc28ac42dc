package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/group"
	"github.com/kqhq/kq/daemon/internal/server"
	"github.com/kqhq/kq/daemon/internal/txn"
)

// AddOffsetsToTxn v0-4: the group's __consumer_offsets partition joins
// the transaction, so EndTxn sends it a marker that commits (or drops)
// the offsets TxnOffsetCommit wrote. Versions before 2 get
// INVALID_PRODUCER_EPOCH where newer ones get PRODUCER_FENCED.
func (h *Handler) addOffsetsToTxn(ctx context.Context, req *server.Request) (*server.Response, error) {
	body := req.Body.(*kmsg.AddOffsetsToTxnRequest)
	resp := body.ResponseKind().(*kmsg.AddOffsetsToTxnResponse)
	if code := h.txnGroupAuthorization(req, body.TransactionalID, body.Group); code != 0 {
		resp.ErrorCode = code
		return &server.Response{Msg: resp}, nil
	}
	if h.deps.Txns == nil || h.deps.Groups == nil {
		resp.ErrorCode = kerr.CoordinatorNotAvailable.Code
		return &server.Response{Msg: resp}, nil
	}
	tp := txn.TopicPartition{Topic: group.TopicName, Partition: h.deps.Groups.PartitionFor(body.Group)}
	out, complete := parked(ctx)
	h.deps.Txns.AddPartitions(body.TransactionalID, body.ProducerID, body.ProducerEpoch, []txn.TopicPartition{tp}, func(err error) {
		resp.ErrorCode = txnErrorCode(err, body.Version, 2)
		complete(resp)
	})
	return out, nil
}
