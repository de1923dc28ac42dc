package fetcher

import "slices"

// The follower side of Kafka's replication throttle: a partition the
// topic's follower.replication.throttled.replicas names for this broker is
// left out of the fetch while follower.replication.throttled.rate is
// exceeded, unless this broker is in its ISR (ReplicaFetcherThread's
// shouldFollowerThrottle); what is fetched for such partitions counts
// against the rate. A partition left out is tried again after
// replica.fetch.backoff.ms, as Kafka's fetcher waits when it has nothing
// to fetch.

// unthrottled drops the entries held back now.
func (f *fetcher) unthrottled(batch []entry) []entry {
	q := f.cfg.Throttle
	out := batch[:0]
	for _, e := range batch {
		if q.IsThrottled(e.p.Topic, e.p.Index) && !slices.Contains(e.p.State().ISR, f.cfg.BrokerID) && q.Exceeded() {
			f.backoff(e)
			continue
		}
		out = append(out, e)
	}
	return out
}

// recordThrottled counts bytes fetched for a throttled partition.
func (f *fetcher) recordThrottled(e entry, n int) {
	if q := f.cfg.Throttle; q.IsThrottled(e.p.Topic, e.p.Index) {
		q.Record(int64(n))
	}
}
