package metrics

import (
	"math"
	"testing"
	"time"
)

func TestBucketsAreContiguous(t *testing.T) {
	for i := 1; i < latencyBuckets; i++ {
		_, prevHi := bucketBounds(i - 1)
		lo, hi := bucketBounds(i)
		if lo != prevHi || hi <= lo {
			t.Fatalf("bucket %d [%v, %v) does not follow [.., %v)", i, lo, hi, prevHi)
		}
		if i >= subBuckets && (hi-lo)/lo > 1.0/subBuckets+1e-9 {
			t.Fatalf("bucket %d [%v, %v) wider than 1/%d of its bound", i, lo, hi, subBuckets)
		}
	}
	for _, v := range []int64{0, 1, 7, 8, 9, 15, 16, 1000, 123456789, 1 << 42, math.MaxInt64} {
		i := bucketOf(v)
		lo, hi := bucketBounds(i)
		if i < latencyBuckets-1 && (float64(v) < lo || float64(v) >= hi) {
			t.Errorf("%d in bucket %d [%v, %v)", v, i, lo, hi)
		}
	}
}

func TestQuantiles(t *testing.T) {
	tests := []struct {
		name string
		obs  []time.Duration
		q    float64
		want time.Duration
	}{
		{"none", nil, 0.99, 0},
		{"one", []time.Duration{3 * time.Millisecond}, 0.5, 3 * time.Millisecond},
		{"median of 1..1000 us", series(1000, time.Microsecond), 0.5, 500 * time.Microsecond},
		{"p99 of 1..1000 us", series(1000, time.Microsecond), 0.99, 990 * time.Microsecond},
		{"p999 with an outlier", append(series(999, time.Microsecond), time.Second), 0.9995, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l latencies
			for _, d := range tt.obs {
				l.observe(d)
			}
			s := l.snapshot()
			got := s.quantile(tt.q)
			if want := float64(tt.want); math.Abs(got-want) > want/subBuckets {
				t.Errorf("q%v = %v, want %v within 1/%d", tt.q, time.Duration(got), tt.want, subBuckets)
			}
		})
	}
}

func series(n int, unit time.Duration) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = time.Duration(i+1) * unit
	}
	return out
}
