package partitionlog

import (
	"log/slog"
	"sync"
	"time"
)

// clockGuard is the clock of the decisions that delete data by comparing
// record timestamps with the wall clock: retention.ms, the cleaner's
// delete.retention.ms for tombstones and markers, and producer-id
// expiration. Kafka reads the wall clock for them, so a clock stepped
// forward by hours deletes hours of data at the next pass. The guard
// follows the wall clock, except that it moves forward at most twice as
// fast as real (monotonic) time passes: a forward step of more than a
// second is caught up over as long as it was, with a warning, instead of
// all at once. A step back is followed at once: it only deletes less.
type clockGuard struct {
	clock  Clock
	logger *slog.Logger

	mu      sync.Mutex
	started bool
	last    time.Time     // the time it gave last
	mono    time.Duration // the monotonic reading then
	behind  bool          // catching up with a step forward
}

// jumpSlack is how far the wall clock may move ahead of the real time
// passed between two readings and still be followed at once.
const jumpSlack = time.Second

// nowMs is the guarded time in Unix milliseconds.
func (g *clockGuard) nowMs() int64 { return g.now().UnixMilli() }

func (g *clockGuard) now() time.Time {
	wall, mono := g.clock.Now(), g.clock.Monotonic()
	g.mu.Lock()
	defer g.mu.Unlock()
	out := wall
	if g.started {
		elapsed := mono - g.mono
		if limit := g.last.Add(2 * elapsed); wall.After(g.last.Add(elapsed+jumpSlack)) && wall.After(limit) {
			out = limit
			if !g.behind {
				g.logger.Warn("the wall clock stepped forward; retention, tombstone removal and producer-id expiration catch up with it no faster than twice real time",
					"wall_clock", wall.UTC(), "following", limit.UTC(), "ahead_by", wall.Sub(limit).Round(time.Second))
			}
		}
	}
	g.behind = out.Before(wall)
	g.started, g.last, g.mono = true, out, mono
	return out
}
