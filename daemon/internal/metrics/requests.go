package metrics

import (
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// quantiles are the percentiles Kafka's request histograms publish, with
// the label value the JMX exporter gives each ("0.$N" of NthPercentile),
// and the error each summary tolerates.
var quantiles = []struct {
	q     float64
	label string
	err   float64
}{
	{0.50, "0.50", 0.05}, {0.75, "0.75", 0.025}, {0.95, "0.95", 0.005},
	{0.98, "0.98", 0.002}, {0.99, "0.99", 0.001}, {0.999, "0.999", 0.0001},
}

// window is how far back the quantiles look: Kafka's histograms use an
// exponentially decaying reservoir biased to about the last five minutes.
const window = 5 * time.Minute

var (
	requestsDesc  = desc("kafka_network_requestmetrics_requests_total", "Requests answered, by API (RequestMetrics RequestsPerSec).", "request")
	totalTimeDesc = desc("kafka_network_requestmetrics_totaltimems", "Milliseconds from a request's arrival to its response written, by API and quantile (RequestMetrics TotalTimeMs).", "request", "quantile")
	totalCntDesc  = desc("kafka_network_requestmetrics_totaltimems_count", "Requests timed, by API (RequestMetrics TotalTimeMs Count).", "request")
)

// Requests times requests per API, for RequestMetrics. Observe is called
// once per request: an array index and one summary observation, no
// allocation after an API's first request.
type Requests struct {
	apis [kmsg.MaxKey + 1]atomic.Pointer[prometheus.Summary]
}

// Observe records one request of API key that took d, arrival to response.
func (r *Requests) Observe(key int16, d time.Duration) {
	if key < 0 || int(key) >= len(r.apis) {
		return
	}
	s := r.apis[key].Load()
	if s == nil {
		s = r.create(key)
	}
	(*s).Observe(float64(d) / float64(time.Millisecond))
}

func (r *Requests) create(key int16) *prometheus.Summary {
	objectives := make(map[float64]float64, len(quantiles))
	for _, q := range quantiles {
		objectives[q.q] = q.err
	}
	s := prometheus.NewSummary(prometheus.SummaryOpts{Name: "request_time", Help: "unregistered", Objectives: objectives, MaxAge: window})
	r.apis[key].CompareAndSwap(nil, &s)
	return r.apis[key].Load()
}

// Describe implements prometheus.Collector.
func (r *Requests) Describe(ch chan<- *prometheus.Desc) {
	ch <- requestsDesc
	ch <- totalTimeDesc
	ch <- totalCntDesc
}

// Collect implements prometheus.Collector: per API seen, the request count
// and the quantiles of its total time.
func (r *Requests) Collect(ch chan<- prometheus.Metric) {
	for key := range r.apis {
		s := r.apis[key].Load()
		if s == nil {
			continue
		}
		var m dto.Metric
		if err := (*s).Write(&m); err != nil {
			continue // a summary's Write does not fail
		}
		name := apiNames[key]
		count := float64(m.GetSummary().GetSampleCount())
		ch <- counter(requestsDesc, count, name)
		ch <- counter(totalCntDesc, count, name)
		for _, q := range m.GetSummary().GetQuantile() {
			ch <- gauge(totalTimeDesc, q.GetValue(), name, labelFor(q.GetQuantile()))
		}
	}
}

// labelFor spells a quantile as the JMX exporter does.
func labelFor(q float64) string {
	for _, x := range quantiles {
		if x.q == q {
			return x.label
		}
	}
	return "?"
}
