package fetcher

import (
	"context"
	"time"
)

// storedGrace is how long a fetch round waits for its partitions' fsyncs
// before leaving out the ones still running: longer than a healthy disk's
// fsync, so a round normally carries every partition, and short, so that
// a stalled disk holds back the partitions of other disks replicated by
// the same fetcher by no more than that.
const storedGrace = 100 * time.Millisecond

// awaitStored returns the partitions of the batch that store what they
// appended as their topic's flush.mode asks: under group-commit once the
// log's fsync returned, at once otherwise. The round's fetch offsets tell
// the leader what this replica holds and its high watermark counts them,
// so under group-commit they must be on this broker's disk. A partition
// whose fsync takes longer than storedGrace sits this round out (the next
// round asks again) rather than holding up the others. A log that failed
// ends the wait; the round's append reports its error.
func awaitStored(ctx context.Context, batch []entry) []entry {
	grace := time.NewTimer(storedGrace)
	defer grace.Stop()
	expired := false
	ready := make([]entry, 0, len(batch))
	for _, e := range batch {
		for {
			done, wake, err := e.p.FollowerStored()
			if done || err != nil {
				ready = append(ready, e)
				break
			}
			if expired {
				break
			}
			select {
			case <-wake:
			case <-grace.C:
				expired = true
			case <-ctx.Done():
				return nil
			}
		}
	}
	return ready
}
