package partitionlog

// producerLastOffsets returns, for every idempotent producer (producer id
// >= 0) with a batch in the segments, the last offset of its last batch.
// Kafka keeps that batch through compaction, emptied of its records if
// need be, so the producer's last sequence and epoch survive (its
// lastRecordsOfActiveProducers). kq keeps no producer state yet, so every
// producer found in the log counts as active and the batches are found by
// a header scan; when producer state exists, it should answer instead.
func producerLastOffsets(segs []*segment) (map[int64]int64, error) {
	last := map[int64]int64{}
	for _, s := range segs {
		sc := newHeaderScanner(s.log, 0, s.size.Load())
		for _, h, ok := sc.next(); ok; _, h, ok = sc.next() {
			if pid := h.producerID(); pid >= 0 {
				last[pid] = h.lastOffset()
			}
		}
		err := sc.err
		sc.release()
		if err != nil {
			return nil, err
		}
	}
	return last, nil
}
