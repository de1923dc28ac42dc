package metrics

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// quantiles are the percentiles Kafka's request histograms publish, with
// the label value the JMX exporter gives each ("0.$N" of NthPercentile).
var quantiles = []struct {
	q     float64
	label string
}{
	{0.50, "0.50"}, {0.75, "0.75"}, {0.95, "0.95"}, {0.98, "0.98"}, {0.99, "0.99"}, {0.999, "0.999"},
}

const (
	// window is how far back the quantiles look: Kafka's histograms use
	// an exponentially decaying reservoir biased to about five minutes.
	window = 5 * time.Minute
	// markEvery spaces the snapshots the window is measured from, so the
	// quantiles cover between window and window+markEvery.
	markEvery = time.Minute
)

var (
	requestsDesc  = desc("kafka_network_requestmetrics_requests_total", "Requests answered, by API (RequestMetrics RequestsPerSec).", "request")
	totalTimeDesc = desc("kafka_network_requestmetrics_totaltimems", "Milliseconds from a request's arrival to its response written, by API and quantile, over about the last five minutes (RequestMetrics TotalTimeMs).", "request", "quantile")
	totalCntDesc  = desc("kafka_network_requestmetrics_totaltimems_count", "Requests timed, by API (RequestMetrics TotalTimeMs Count).", "request")
)

// Requests times requests per API, for RequestMetrics. Observe is called
// once per request: an array index and one atomic add, no lock and no
// allocation after an API's first request.
type Requests struct {
	apis [requestMetricSlots]atomic.Pointer[apiTimes]

	mu  sync.Mutex // serializes scrapes over the marks
	now func() time.Time
}

// apiTimes are one API's request times and the snapshots taken at
// scrapes (oldest first) that the quantiles' window starts from.
type apiTimes struct {
	l     latencies
	marks []mark // guarded by Requests.mu
}

type mark struct {
	at time.Time
	s  latencySnapshot
}

// Observe records one request of API key that took d, arrival to
// response; a Fetch is also timed as FetchFollower or FetchConsumer.
func (r *Requests) Observe(key int16, fromFollower bool, d time.Duration) {
	if key < 0 || int(key) > kmsg.MaxKey {
		return
	}
	r.times(int(key)).l.observe(d)
	switch {
	case key != fetchKey:
	case fromFollower:
		r.times(fetchFollowerSlot).l.observe(d)
	default:
		r.times(fetchConsumerSlot).l.observe(d)
	}
}

func (r *Requests) times(slot int) *apiTimes {
	if a := r.apis[slot].Load(); a != nil {
		return a
	}
	r.apis[slot].CompareAndSwap(nil, &apiTimes{marks: []mark{{at: r.clock()}}})
	return r.apis[slot].Load()
}

func (r *Requests) clock() time.Time {
	if r.now != nil {
		return r.now()
	}
	return time.Now()
}

// Describe implements prometheus.Collector.
func (r *Requests) Describe(ch chan<- *prometheus.Desc) {
	ch <- requestsDesc
	ch <- totalTimeDesc
	ch <- totalCntDesc
}

// Collect implements prometheus.Collector: per API seen, the request count
// and the quantiles of its total time over the window.
func (r *Requests) Collect(ch chan<- prometheus.Metric) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.clock()
	for key := range r.apis {
		a := r.apis[key].Load()
		if a == nil {
			continue
		}
		cur := a.l.snapshot()
		recent := a.window(now, &cur)
		name := apiNames[key]
		count := float64(cur.total())
		ch <- counter(requestsDesc, count, name)
		ch <- counter(totalCntDesc, count, name)
		for _, q := range quantiles {
			ch <- gauge(totalTimeDesc, recent.quantile(q.q)/float64(time.Millisecond), name, q.label)
		}
	}
}

// window returns the observations since the newest mark at least window
// old (or since the API's first request while it is younger), dropping
// the marks before it and taking a new one every markEvery.
func (a *apiTimes) window(now time.Time, cur *latencySnapshot) latencySnapshot {
	base := 0
	for i, m := range a.marks {
		if now.Sub(m.at) >= window {
			base = i
		}
	}
	a.marks = a.marks[base:]
	recent := cur.minus(&a.marks[0].s)
	if now.Sub(a.marks[len(a.marks)-1].at) >= markEvery {
		a.marks = append(a.marks, mark{at: now, s: *cur})
	}
	return recent
}
