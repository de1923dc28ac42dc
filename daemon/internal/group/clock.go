package group

import "time"

// Clock gives the coordinator time and timers, so tests drive rebalance
// and session timeouts without sleeping.
type Clock interface {
	// Now is the wall clock, which an operator, NTP or a VM restore can
	// step forward or back: it stamps records, never measures a timeout.
	Now() time.Time
	// Monotonic is the time elapsed since an arbitrary origin on a clock
	// no step moves (CLOCK_MONOTONIC): timeouts are measured on it.
	Monotonic() time.Duration
	// AfterFunc calls f on its own goroutine after d of monotonic time
	// (Go's timers are), so a wall-clock step neither fires nor delays it.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending AfterFunc.
type Timer interface {
	Stop() bool
}

// SystemClock is the system's wall and monotonic clocks.
type SystemClock struct{}

// Now implements Clock.
func (SystemClock) Now() time.Time { return time.Now() }

// processStart carries Go's monotonic reading, so time.Since measures on
// the monotonic clock.
var processStart = time.Now()

// Monotonic implements Clock.
func (SystemClock) Monotonic() time.Duration { return time.Since(processStart) }

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
