// Package wallclock is the broker's defence against wall-clock steps.
//
// Two clocks run on a host: the wall clock, which an operator, NTP or a
// restored VM can step forward or back by hours, and the monotonic clock
// (CLOCK_MONOTONIC), which only moves forward at the pace of real time.
// Timeouts (sessions, transactions) are durations and belong on the
// monotonic clock. Some decisions cannot avoid the wall clock: they
// compare it with timestamps written earlier, by this broker or another,
// or by producers (retention.ms, delete.retention.ms, offsets retention,
// producer-id expiration). Kafka reads the wall clock for them as it is,
// so a step forward deletes at the next pass everything the step made
// look old. Guard is the clock kq reads there instead.
package wallclock

import (
	"log/slog"
	"sync"
	"time"
)

// Clock gives both clocks; tests pass one whose wall clock they step.
type Clock interface {
	// Now is the wall clock.
	Now() time.Time
	// Monotonic is the time elapsed since an arbitrary origin on a clock
	// no step moves: what really passed between two readings.
	Monotonic() time.Duration
}

// System is the host's clocks.
type System struct{}

// Now implements Clock.
func (System) Now() time.Time { return time.Now() }

// processStart carries Go's monotonic reading, so time.Since measures on
// the monotonic clock.
var processStart = time.Now()

// Monotonic implements Clock: the time since the process started.
func (System) Monotonic() time.Duration { return time.Since(processStart) }

// Slack is how far the wall clock may move ahead of the real time passed
// between two readings and still be followed at once (small NTP steps).
const Slack = time.Second

// Guard follows the wall clock, except that it moves forward at most
// twice as fast as real time passes: a forward step of more than Slack is
// caught up over as long as it was, with a warning, instead of all at
// once. A step back is followed at once, since the decisions it serves
// then only delete less. Its zero value is not usable: set Clock and
// Logger. It is safe for concurrent use.
type Guard struct {
	Clock  Clock
	Logger *slog.Logger
	// What names the decisions it serves, for the warning.
	What string

	mu      sync.Mutex
	started bool
	last    time.Time     // the time it gave last
	mono    time.Duration // the monotonic reading then
	behind  bool          // catching up with a step forward
}

// Now is the guarded wall clock.
func (g *Guard) Now() time.Time {
	wall, mono := g.Clock.Now(), g.Clock.Monotonic()
	g.mu.Lock()
	defer g.mu.Unlock()
	out := wall
	if g.started {
		elapsed := mono - g.mono
		if limit := g.last.Add(2 * elapsed); wall.After(g.last.Add(elapsed+Slack)) && wall.After(limit) {
			out = limit
			if !g.behind {
				g.Logger.Warn("the wall clock stepped forward; "+g.What+" catch up with it no faster than twice real time",
					"wall_clock", wall.UTC(), "following", limit.UTC(), "ahead_by", wall.Sub(limit).Round(time.Second))
			}
		}
	}
	g.behind = out.Before(wall)
	g.started, g.last, g.mono = true, out, mono
	return out
}
