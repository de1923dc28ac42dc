package handler

import (
	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/daemon/internal/kafkaerr"
)

// registerTxnCoordinator lists the transaction coordinator's APIs
// (Kafka 3.9's ranges): InitProducerId, AddPartitionsToTxn,
// AddOffsetsToTxn, EndTxn, DescribeTransactions, ListTransactions.
func (h *Handler) registerTxnCoordinator() {
	h.register(22, 0, 5, h.initProducerID)
	h.register(24, 0, 5, h.addPartitionsToTxn)
	h.register(25, 0, 4, h.addOffsetsToTxn)
	h.register(26, 0, 4, h.endTxn)
	h.register(65, 0, 0, plain(h.describeTransactions))
	h.register(66, 0, 1, plain(h.listTransactions))
}

// txnErrorCode is the code of a coordinator answer for a request version:
// versions before fencedSince do not know PRODUCER_FENCED and get
// INVALID_PRODUCER_EPOCH instead, as Kafka answers old clients.
func txnErrorCode(err error, version, fencedSince int16) int16 {
	if err == kerr.ProducerFenced && version < fencedSince {
		return kerr.InvalidProducerEpoch.Code
	}
	return kafkaerr.Code(err)
}
