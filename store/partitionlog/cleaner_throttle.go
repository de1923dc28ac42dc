package partitionlog

import (
	"context"
	"math"
	"sync"
	"time"
)

// throttler paces the cleaner threads' reads and writes together to
// log.cleaner.io.max.bytes.per.second, as Kafka's Throttler: bytes are
// counted over a window, and once the window is long enough to measure, a
// thread that finds the rate above the limit sleeps until it is back.
type throttler struct {
	rate  float64 // bytes per second; +Inf: no throttling
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration)

	mu          sync.Mutex
	windowStart time.Time
	bytes       float64
}

// throttleCheckInterval is how long a window runs before the rate is
// judged (Kafka checks every 300 ms).
const throttleCheckInterval = 300 * time.Millisecond

func newThrottler(rate float64) *throttler {
	return &throttler{rate: rate, now: time.Now, sleep: sleepCtx}
}

// wait accounts n bytes and sleeps when the rate is above the limit.
func (t *throttler) wait(ctx context.Context, n int) {
	if t == nil || math.IsInf(t.rate, 1) {
		return
	}
	t.mu.Lock()
	now := t.now()
	if t.windowStart.IsZero() {
		t.windowStart = now
	}
	t.bytes += float64(n)
	elapsed := now.Sub(t.windowStart)
	if elapsed < throttleCheckInterval {
		t.mu.Unlock()
		return
	}
	pause := time.Duration(t.bytes/t.rate*float64(time.Second)) - elapsed
	t.windowStart, t.bytes = now.Add(max(pause, 0)), 0 // the pause is part of the next window
	t.mu.Unlock()
	if pause > 0 {
		t.sleep(ctx, pause)
	}
}

func sleepCtx(ctx context.Context, d time.Duration) {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
	case <-timer.C:
	}
}
