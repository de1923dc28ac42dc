package handler

// registerQuotas lists the client quota APIs (Kafka 3.9's ranges), served
// only when the broker has a quota store.
func (h *Handler) registerQuotas() {
	if h.deps.QuotaStore == nil {
		return
	}
	h.register(48, 0, 1, plain(h.describeClientQuotas))
	h.register(49, 0, 1, plain(h.alterClientQuotas))
}
