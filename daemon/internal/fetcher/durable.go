package fetcher

import "context"

// awaitStored waits until every partition of the batch stores what it
// appended as its topic's flush.mode asks: under group-commit until the
// log's fsync returns, at once otherwise. The round's fetch offsets tell
// the leader what this replica holds and its high watermark counts them,
// so under group-commit they must be on this broker's disk. A log that
// failed ends the wait; the round's append reports its error.
func awaitStored(ctx context.Context, batch []entry) {
	for _, e := range batch {
		for {
			done, wake, err := e.p.FollowerStored()
			if done || err != nil {
				break
			}
			select {
			case <-wake:
			case <-ctx.Done():
				return
			}
		}
	}
}
