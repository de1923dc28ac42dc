package quota

import (
	"testing"
	"time"
)

func TestRateMeasure(t *testing.T) {
	t0 := time.Unix(1000, 0)
	cases := []struct {
		name     string
		records  []time.Duration // offsets from t0 of 1000-unit records
		at       time.Duration
		wantRate float64
		wantSpan time.Duration
	}{
		{"young rate spread over ten windows", []time.Duration{0}, 0, 100, 10 * time.Second},
		{"two records, still padded", []time.Duration{0, 3 * time.Second}, 3 * time.Second, 200, 10 * time.Second},
		{"after eleven windows the span is real", []time.Duration{0, 5 * time.Second, 10500 * time.Millisecond}, 10500 * time.Millisecond, 3000.0 / 10.5, 10500 * time.Millisecond},
		{"samples older than the ring are dropped", []time.Duration{0, 12 * time.Second}, 12 * time.Second, 100, 10 * time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRate(time.Second, 11, t0)
			for _, off := range tc.records {
				r.record(1000, t0.Add(off))
			}
			got, span := r.measure(t0.Add(tc.at))
			if span != tc.wantSpan || got < tc.wantRate*0.999 || got > tc.wantRate*1.001 {
				t.Fatalf("measure = %v over %v, want %v over %v", got, span, tc.wantRate, tc.wantSpan)
			}
		})
	}
}

func TestThrottle(t *testing.T) {
	cases := []struct {
		measured, bound float64
		span            time.Duration
		want            time.Duration
	}{
		{100, 100, 10 * time.Second, 0},
		{50, 100, 10 * time.Second, 0},
		{200, 100, 10 * time.Second, 10 * time.Second},
		{110, 100, 11 * time.Second, 1100 * time.Millisecond},
		{1, 0, 10 * time.Second, 10 * time.Second},
	}
	for _, tc := range cases {
		if got := throttle(tc.measured, tc.bound, tc.span); got < tc.want-time.Millisecond || got > tc.want+time.Millisecond {
			t.Errorf("throttle(%v, %v, %v) = %v, want %v", tc.measured, tc.bound, tc.span, got, tc.want)
		}
	}
}
