package replica

import "sync/atomic"

// partitionStats are a partition's Kafka BrokerTopicMetrics meters,
// counted here (one atomic add each, on the partition the request already
// holds) and summed per topic when metrics are scraped.
type partitionStats struct {
	messagesIn, bytesIn, bytesOut atomic.Int64
}

// Stats is a snapshot of a partition's meters since it was opened here.
type Stats struct {
	MessagesIn int64 // records appended as leader
	BytesIn    int64 // their bytes
	BytesOut   int64 // record bytes answered to consumers' fetches
}

// Stats returns the partition's meters.
func (p *Partition) Stats() Stats {
	return Stats{MessagesIn: p.stats.messagesIn.Load(), BytesIn: p.stats.bytesIn.Load(), BytesOut: p.stats.bytesOut.Load()}
}

// CountBytesOut adds n record bytes sent to a consumer.
func (p *Partition) CountBytesOut(n int64) { p.stats.bytesOut.Add(n) }

// countAppend counts an append as leader; a duplicate wrote nothing.
func (p *Partition) countAppend(records, bytes int64, duplicate bool) {
	if duplicate {
		return
	}
	p.stats.messagesIn.Add(records)
	p.stats.bytesIn.Add(bytes)
}

// LogSize returns the bytes and the number of segments of the partition's
// log.
func (p *Partition) LogSize() (bytes int64, segments int) {
	return p.log.Size(), p.log.NumSegments()
}

// isrStats count the ISR changes written for partitions led here (Kafka's
// IsrShrinksPerSec and IsrExpandsPerSec).
type isrStats struct {
	shrinks, expands atomic.Int64
}

// count records an ISR change from old to new members.
func (s *isrStats) count(old, new int) {
	switch {
	case s == nil:
	case new < old:
		s.shrinks.Add(1)
	case new > old:
		s.expands.Add(1)
	}
}

// IsrChanges returns how many ISR shrinks and expansions of partitions led
// here were written since the manager started.
func (m *Manager) IsrChanges() (shrinks, expands int64) {
	return m.isrStats.shrinks.Load(), m.isrStats.expands.Load()
}
