package handler

import (
	"context"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/server"
	"github.com/kqhq/kq/daemon/internal/txn"
)

// ListTransactions v0-1: the transactions this broker coordinates,
// filtered by state names and producer ids, and (v1) to those running
// longer than a duration. State names Kafka does not know are echoed in
// UnknownStateFilters.
func (h *Handler) listTransactions(_ context.Context, req *server.Request, body *kmsg.ListTransactionsRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.ListTransactionsResponse)
	if h.deps.Txns == nil {
		resp.ErrorCode = kerr.CoordinatorNotAvailable.Code
		return resp, nil
	}
	f := txn.ListFilter{States: body.StateFilters, ProducerIDs: body.ProducerIDFilters, MinDuration: -1}
	if body.Version >= 1 && body.DurationFilterMillis >= 0 {
		f.MinDuration = time.Duration(body.DurationFilterMillis) * time.Millisecond
	}
	l := h.deps.Txns.List(f)
	if l.Err != nil {
		resp.ErrorCode = kafkaerr.Code(l.Err)
		return resp, nil
	}
	resp.UnknownStateFilters = l.UnknownStates
	for _, t := range l.Transactions {
		if !h.allowed(req, opDescribe, resTxnID, t.TransactionalID) {
			continue
		}
		st := kmsg.NewListTransactionsResponseTransactionState()
		st.TransactionalID, st.ProducerID, st.TransactionState = t.TransactionalID, t.ProducerID, t.State.String()
		resp.TransactionStates = append(resp.TransactionStates, st)
	}
	return resp, nil
}
