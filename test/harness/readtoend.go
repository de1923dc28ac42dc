package harness

import (
	"context"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/checker"
)

// ReadToEnd polls cl, a client consuming topic's partitions from their
// start, until it has returned every record below ends (each partition's
// high watermark, taken after the faults), and returns those records as
// the polls of the checker's consumer "final". It fails t when within
// passes first.
func ReadToEnd(t testing.TB, cl *kgo.Client, topic string, ends map[int32]int64, within time.Duration) []checker.Poll {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	next := map[int32]int64{}
	var out []checker.Poll
	for {
		p, behind := firstBehind(next, ends)
		if !behind {
			return out
		}
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("read %s to its high watermarks: partition %d at %d of %d after %v", topic, p, next[p], ends[p], within)
		}
		fs.EachRecord(func(r *kgo.Record) {
			if r.Topic != topic {
				return
			}
			if r.Offset < ends[r.Partition] {
				out = append(out, checker.Poll{Consumer: "final", Partition: r.Partition, Offset: r.Offset, Value: string(r.Value)})
			}
			next[r.Partition] = r.Offset + 1
		})
	}
}

// firstBehind returns a partition read to short of its end, if any.
func firstBehind(next, ends map[int32]int64) (int32, bool) {
	for p, end := range ends {
		if next[p] < end {
			return p, true
		}
	}
	return 0, false
}
