package perf

import (
	"fmt"
	"io"
	"slices"
	"sync"
	"time"
)

// maxSamples bounds the latencies kept for percentiles, Kafka's
// producer-perf-test's 500,000 (4 MB): past it every k-th latency is kept,
// k = records / maxSamples, as Kafka samples. Keeping ten million cost 80
// MB and 7% of the tool's CPU in the final sort.
const maxSamples = 500_000

// stats accumulates produce results, like kafka-producer-perf-test's
// Stats: totals, a reporting window, and sampled latencies.
type stats struct {
	mu          sync.Mutex
	start       time.Time
	sampleEvery int64
	count       int64
	bytes       int64
	errors      int64
	maxLatency  time.Duration
	sumLatency  time.Duration
	samples     []time.Duration

	window windowStats
}

type windowStats struct {
	start      time.Time
	count      int64
	bytes      int64
	maxLatency time.Duration
	sumLatency time.Duration
}

func newStats(now time.Time, records int64) *stats {
	every := max(records/maxSamples, 1)
	return &stats{start: now, sampleEvery: every, window: windowStats{start: now}}
}

// record adds one acknowledged record.
func (s *stats) record(latency time.Duration, size int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.count%s.sampleEvery == 0 {
		s.samples = append(s.samples, latency)
	}
	s.count++
	s.bytes += int64(size)
	s.sumLatency += latency
	s.maxLatency = max(s.maxLatency, latency)
	w := &s.window
	w.count++
	w.bytes += int64(size)
	w.sumLatency += latency
	w.maxLatency = max(w.maxLatency, latency)
}

func (s *stats) fail() {
	s.mu.Lock()
	s.errors++
	s.mu.Unlock()
}

// printWindow writes and resets the interval line Kafka prints every 5 s.
func (s *stats) printWindow(w io.Writer, now time.Time) {
	s.mu.Lock()
	win := s.window
	s.window = windowStats{start: now}
	s.mu.Unlock()
	elapsed := now.Sub(win.start).Seconds()
	if win.count == 0 || elapsed <= 0 {
		return
	}
	fmt.Fprintf(w, "%d records sent, %.1f records/sec (%.2f MB/sec), %.1f ms avg latency, %.1f ms max latency.\n",
		win.count, float64(win.count)/elapsed, float64(win.bytes)/elapsed/(1024*1024),
		ms(win.sumLatency)/float64(win.count), ms(win.maxLatency))
}

// Summary is the final result, also printed as JSON with -o json.
type Summary struct {
	Records       int64   `json:"records"`
	Errors        int64   `json:"errors"`
	Seconds       float64 `json:"seconds"`
	RecordsPerSec float64 `json:"records_per_sec"`
	MBPerSec      float64 `json:"mb_per_sec"`
	AvgLatencyMs  float64 `json:"avg_latency_ms"`
	MaxLatencyMs  float64 `json:"max_latency_ms"`
	P50Ms         float64 `json:"p50_ms"`
	P95Ms         float64 `json:"p95_ms"`
	P99Ms         float64 `json:"p99_ms"`
	P999Ms        float64 `json:"p99_9_ms"`
}

func (s *stats) summary(now time.Time) Summary {
	s.mu.Lock()
	defer s.mu.Unlock()
	elapsed := now.Sub(s.start).Seconds()
	sum := Summary{Records: s.count, Errors: s.errors, Seconds: elapsed, MaxLatencyMs: ms(s.maxLatency)}
	if elapsed > 0 {
		sum.RecordsPerSec = float64(s.count) / elapsed
		sum.MBPerSec = float64(s.bytes) / elapsed / (1024 * 1024)
	}
	if s.count > 0 {
		sum.AvgLatencyMs = ms(s.sumLatency) / float64(s.count)
	}
	slices.Sort(s.samples)
	sum.P50Ms, sum.P95Ms = percentile(s.samples, 0.5), percentile(s.samples, 0.95)
	sum.P99Ms, sum.P999Ms = percentile(s.samples, 0.99), percentile(s.samples, 0.999)
	return sum
}

// percentile of sorted samples, in milliseconds.
func percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := min(int(p*float64(len(sorted))), len(sorted)-1)
	return ms(sorted[i])
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// line is Kafka's closing line of kafka-producer-perf-test, number for
// number: records/sec with %f, and the percentiles as whole milliseconds
// because Kafka keeps its latencies as truncated int milliseconds.
func (s Summary) line() string {
	return fmt.Sprintf("%d records sent, %f records/sec (%.2f MB/sec), %.2f ms avg latency, %.2f ms max latency, "+
		"%d ms 50th, %d ms 95th, %d ms 99th, %d ms 99.9th.",
		s.Records, s.RecordsPerSec, s.MBPerSec, s.AvgLatencyMs, s.MaxLatencyMs,
		int64(s.P50Ms), int64(s.P95Ms), int64(s.P99Ms), int64(s.P999Ms))
}
