package metrics

import (
	"math/bits"
	"sync/atomic"
	"time"
)

// latencies is a log-linear histogram of durations: every power of two
// is split into 8 buckets, so a bucket's width is at most 1/8 of its lower
// bound and a quantile read from it is within about 6% of the true value.
// Observing is one bucket computation and one atomic add: no lock, so the
// connections of many cores producing at once do not queue behind it.
//
// Bucket layout, v in nanoseconds:
//
//	v < 8            bucket v (exact)
//	2^e <= v < 2^e+1 bucket (e-2)*8 + (v >> (e-3)) & 7, for e >= 3
type latencies struct {
	counts [latencyBuckets]atomic.Uint64
}

const (
	subBucketBits  = 3
	subBuckets     = 1 << subBucketBits
	latencyBuckets = 41 * subBuckets // up to 2^43 ns (2.4 hours); longer is counted in the last
)

func (l *latencies) observe(d time.Duration) {
	l.counts[bucketOf(max(int64(d), 0))].Add(1)
}

func bucketOf(v int64) int {
	if v < subBuckets {
		return int(v)
	}
	e := bits.Len64(uint64(v)) - 1
	i := (e-subBucketBits+1)*subBuckets + int(v>>(e-subBucketBits))&(subBuckets-1)
	return min(i, latencyBuckets-1)
}

// bucketBounds returns the lower and upper bound of a bucket in
// nanoseconds.
func bucketBounds(i int) (lo, hi float64) {
	if i < subBuckets {
		return float64(i), float64(i + 1)
	}
	e := i/subBuckets + subBucketBits - 1
	m := int64(i % subBuckets)
	shift := e - subBucketBits
	return float64((subBuckets + m) << shift), float64((subBuckets + m + 1) << shift)
}

// snapshot copies the cumulative counts.
func (l *latencies) snapshot() (s latencySnapshot) {
	for i := range l.counts {
		s[i] = l.counts[i].Load()
	}
	return s
}

type latencySnapshot [latencyBuckets]uint64

// total is the number of observations.
func (s *latencySnapshot) total() uint64 {
	var n uint64
	for _, c := range s {
		n += c
	}
	return n
}

// minus returns the observations made after base.
func (s *latencySnapshot) minus(base *latencySnapshot) (d latencySnapshot) {
	for i := range s {
		d[i] = s[i] - base[i]
	}
	return d
}

// quantile returns the q-quantile in nanoseconds, interpolated within its
// bucket; 0 when there are no observations (as Kafka's empty histograms).
func (s *latencySnapshot) quantile(q float64) float64 {
	n := s.total()
	if n == 0 {
		return 0
	}
	rank := q * float64(n)
	var seen float64
	for i, c := range s {
		if c == 0 {
			continue
		}
		if seen+float64(c) >= rank {
			lo, hi := bucketBounds(i)
			return lo + (hi-lo)*max(rank-seen, 0)/float64(c)
		}
		seen += float64(c)
	}
	lo, _ := bucketBounds(latencyBuckets - 1)
	return lo
}
