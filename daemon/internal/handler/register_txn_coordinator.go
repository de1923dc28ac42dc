package handler

// registerTxnCoordinator lists the transaction coordinator's APIs
// (Kafka 3.9's ranges): InitProducerId, AddPartitionsToTxn,
// AddOffsetsToTxn, EndTxn, DescribeTransactions, ListTransactions.
func (h *Handler) registerTxnCoordinator() {
	h.register(22, 0, 5, plain(h.initProducerID))
}
