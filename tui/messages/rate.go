package messages

import "time"

// rateWindow is how long records are counted for a rate; a window with
// nothing in it reads as 0.
const rateWindow = 2 * time.Second

// rateMeter measures records per second over the last whole window.
type rateMeter struct {
	since time.Time // the current window's start
	count int       // records in the current window
	rate  float64   // the last whole window's rate
	last  time.Time // when records last came
	known bool
}

func (r *rateMeter) add(n int, now time.Time) {
	if r.since.IsZero() {
		r.since = now
	}
	if el := now.Sub(r.since); el >= rateWindow {
		r.rate, r.known = float64(r.count)/el.Seconds(), true
		r.since, r.count = now, 0
	}
	r.count += n
	r.last = now
}

// current is the rate at now: 0 once records stopped for two windows.
func (r rateMeter) current(now time.Time) (float64, bool) {
	if r.known && now.Sub(r.last) > 2*rateWindow {
		return 0, true
	}
	return r.rate, r.known
}
