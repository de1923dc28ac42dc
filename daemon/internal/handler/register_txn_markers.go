package handler

// registerTxnMarkers lists the APIs that end transactions on partition
// leaders and in the group coordinator: WriteTxnMarkers, TxnOffsetCommit,
// DescribeProducers (Kafka 3.9's ranges).
func (h *Handler) registerTxnMarkers() {
}
