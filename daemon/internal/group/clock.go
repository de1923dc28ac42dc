package group

import "time"

// Clock gives the coordinator time and timers, so tests drive rebalance
// and session timeouts without sleeping.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f on its own goroutine after d.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending AfterFunc.
type Timer interface {
	Stop() bool
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now implements Clock.
func (SystemClock) Now() time.Time { return time.Now() }

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
