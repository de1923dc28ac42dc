package verifiable

import (
	"context"
	"time"
)

// throttle paces sends as Kafka's ThroughputThrottler: about perSec
// records a second; 0 sends one record and then nothing until stopped;
// below 0 never waits.
type throttle struct {
	perSec int64
	start  time.Time
}

func newThrottle(perSec int64, start time.Time) throttle {
	return throttle{perSec: perSec, start: start}
}

// wait blocks until sent records are due by the rate; false when ctx
// ended first.
func (t throttle) wait(ctx context.Context, sent int64) bool {
	if t.perSec < 0 {
		return true
	}
	if t.perSec == 0 {
		<-ctx.Done()
		return false
	}
	due := t.start.Add(time.Duration(sent) * time.Second / time.Duration(t.perSec))
	d := time.Until(due)
	if d <= 0 {
		return true
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}
