package partitionlog

// producerLastOffsets returns, for every producer the log's producer state
// still knows (Kafka's active producers: expired ones are forgotten), the
// last offset of its last batch. The cleaner keeps that batch, emptied of
// its records if need be, so the producer's last sequence and epoch
// survive compaction (Kafka's lastRecordsOfActiveProducers); every batch
// of a forgotten producer may go.
func (l *Log) producerLastOffsets() map[int64]int64 {
	last := map[int64]int64{}
	for _, s := range l.ProducerStates() {
		if n := len(s.Batches); n > 0 {
			last[s.ProducerID] = s.Batches[n-1].LastOffset
		}
	}
	return last
}
