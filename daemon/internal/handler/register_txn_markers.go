package handler

// registerTxnMarkers lists the APIs that end transactions on partition
// leaders and in the group coordinator: WriteTxnMarkers, TxnOffsetCommit,
// DescribeProducers (Kafka 3.9's ranges).
func (h *Handler) registerTxnMarkers() {
	h.register(27, 0, 1, h.clusterActionOnly(h.writeTxnMarkers, refuseWriteTxnMarkers))
	h.register(28, 0, 4, h.txnOffsetCommit)
	h.register(61, 0, 0, plain(h.describeProducers))
}
