package handler

// countBytesOut adds the record bytes a consumer's fetch answers to each
// partition's BytesOut meter, once per response (a long poll reads more
// than once). Followers' fetches are replication, which Kafka meters apart.
func (p fetchPlan) countBytesOut(r fetchRead) {
	if p.replicaID >= 0 {
		return
	}
	for i, pp := range p.partitions {
		if n := r.results[i].res.Data.Len; n > 0 && pp.part != nil && r.results[i].errCode == 0 {
			pp.part.CountBytesOut(int64(n))
		}
	}
}
