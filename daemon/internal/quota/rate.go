package quota

import "time"

// rate is Kafka's Rate over a SampledStat: a ring of samples, each covering
// one window from its start, the oldest ones dropped once they are older
// than all the samples together span. Not safe for concurrent use.
type rate struct {
	window  time.Duration
	samples []sample
	cur     int
}

type sample struct {
	start time.Time
	value float64
}

func newRate(window time.Duration, samples int, now time.Time) *rate {
	r := &rate{window: window, samples: make([]sample, samples)}
	for i := range r.samples {
		r.samples[i].start = now
	}
	return r
}

// record adds v to the current sample, starting the next one when the
// current window is over.
func (r *rate) record(v float64, now time.Time) {
	if now.Sub(r.samples[r.cur].start) >= r.window {
		r.cur = (r.cur + 1) % len(r.samples)
		r.samples[r.cur] = sample{start: now}
	}
	r.samples[r.cur].value += v
}

// measure returns the rate per second and the span it was measured over.
func (r *rate) measure(now time.Time) (float64, time.Duration) {
	r.purge(now)
	total, oldest := 0.0, now
	for _, s := range r.samples {
		total += s.value
		if s.start.Before(oldest) {
			oldest = s.start
		}
	}
	span := r.span(now.Sub(oldest))
	return total / span.Seconds(), span
}

// span is Kafka's Rate.windowSize: the elapsed time, but at least
// samples-1 full windows, so a young rate is not overstated.
func (r *rate) span(elapsed time.Duration) time.Duration {
	full := int(elapsed / r.window)
	if minFull := len(r.samples) - 1; full < minFull {
		elapsed += time.Duration(minFull-full) * r.window
	}
	return elapsed
}

// purge resets samples older than the whole ring's span.
func (r *rate) purge(now time.Time) {
	expire := time.Duration(len(r.samples)) * r.window
	for i := range r.samples {
		if now.Sub(r.samples[i].start) >= expire {
			r.samples[i] = sample{start: now}
		}
	}
}

// throttle is Kafka's QuotaUtils.throttleTime: how long the client must
// pause for the measured rate to fall back to the bound.
func throttle(measured, bound float64, span time.Duration) time.Duration {
	if measured <= bound {
		return 0
	}
	if bound <= 0 {
		return span // a zero quota: hold the client a whole span each time
	}
	return time.Duration((measured - bound) / bound * float64(span))
}
