package group

import (
	"time"

	"github.com/kqhq/kq/store/wallclock"
)

// Clock gives the coordinator time and timers, so tests drive rebalance
// and session timeouts without sleeping.
type Clock interface {
	// Now is the wall clock, which an operator, NTP or a VM restore can
	// step forward or back: it stamps records and, through a
	// wallclock.Guard, expires offsets; it never measures a timeout.
	// Monotonic is the clock no step moves.
	wallclock.Clock
	// AfterFunc calls f on its own goroutine after d of monotonic time
	// (Go's timers are), so a wall-clock step neither fires nor delays it.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending AfterFunc.
type Timer interface {
	Stop() bool
}

// SystemClock is the system's wall and monotonic clocks and Go's timers.
type SystemClock struct{ wallclock.System }

// AfterFunc implements Clock.
func (SystemClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// deadline is one timer slot of a group or member. Rescheduling or
// cancelling it turns an earlier timer that already fired, but is still
// waiting for the lock, into a no-op: the callback checks the sequence.
type deadline struct {
	timer Timer
	seq   uint64
}

func (d *deadline) cancel() {
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
	d.seq++
}

func (d *deadline) pending() bool { return d.timer != nil }
