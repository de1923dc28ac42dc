package server

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// metrics are the server's collectors. They exist whether or not a registerer
// was configured, so the code that updates them has no nil checks.
type metrics struct {
	accepted      *prometheus.CounterVec // by listener
	open          prometheus.Gauge
	closed        *prometheus.CounterVec // by close reason kind
	requests      *prometheus.CounterVec // by API name
	latency       *prometheus.HistogramVec
	bytesIn       prometheus.Counter
	bytesOut      prometheus.Counter
	sendfileBytes prometheus.Counter
	// auth counts SASL (re-)authentications by listener, mechanism and
	// result (Kafka's successful-/failed-(re)authentication-total).
	auth *prometheus.CounterVec
	// expiredSessions counts connections closed for a request after their
	// SASL session expired (Kafka's expired-connections-killed-count).
	expiredSessions prometheus.Counter

	// perAPI caches the labelled children, filled on first use, so the hot
	// path does not hash label values for every request.
	perAPI [kmsg.MaxKey + 1]atomic.Pointer[apiMetrics]
	// times is Config.RequestTimes (nil when unset).
	times RequestObserver
}

type apiMetrics struct {
	requests prometheus.Counter
	latency  prometheus.Observer
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	const ns, sub = "kq", "server"
	m := &metrics{
		accepted: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub,
			Name: "connections_accepted_total", Help: "Connections accepted, by listener."}, []string{"listener"}),
		open: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Subsystem: sub,
			Name: "connections_open", Help: "Connections currently open."}),
		closed: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub,
			Name: "connections_closed_total", Help: "Connections closed, by reason."}, []string{"reason"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub,
			Name: "requests_total", Help: "Requests received, by API."}, []string{"api"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Subsystem: sub,
			Name: "request_duration_seconds", Help: "Time from a request's arrival to its response written, by API.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10)}, []string{"api"}),
		bytesIn: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Subsystem: sub,
			Name: "received_bytes_total", Help: "Request bytes received, size prefixes included."}),
		bytesOut: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Subsystem: sub,
			Name: "sent_bytes_total", Help: "Response bytes sent, size prefixes included."}),
		sendfileBytes: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Subsystem: sub,
			Name: "sendfile_bytes_total", Help: "Response bytes sent from files with sendfile(2), a subset of sent bytes."}),
		auth: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub,
			Name: "authentications_total", Help: "SASL authentications and re-authentications, by listener, mechanism and result (success or failure)."},
			[]string{"listener", "mechanism", "kind", "result"}),
		expiredSessions: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Subsystem: sub,
			Name: "expired_sessions_closed_total", Help: "Connections closed because a request came after their SASL session expired."}),
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.accepted, m.open, m.closed, m.requests, m.latency, m.bytesIn, m.bytesOut, m.sendfileBytes,
		m.auth, m.expiredSessions} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register server metrics: %w", err)
		}
	}
	return m, nil
}

// api returns the collectors for an API key; keys were validated by admit.
func (m *metrics) api(key int16) *apiMetrics {
	slot := &m.perAPI[key]
	if a := slot.Load(); a != nil {
		return a
	}
	name := kmsg.NameForKey(key)
	a := &apiMetrics{requests: m.requests.WithLabelValues(name), latency: m.latency.WithLabelValues(name)}
	slot.CompareAndSwap(nil, a)
	return slot.Load()
}

// observeLatency records the time from a request's arrival to its response
// written (or dropped, for acks=0).
func (m *metrics) observeLatency(key int16, follower bool, arrived time.Time) {
	d := time.Since(arrived)
	m.api(key).latency.Observe(d.Seconds())
	if m.times != nil {
		m.times.Observe(key, follower, d)
	}
}

// authentication counts a SASL exchange that ended; mechanism is "" for a
// handshake naming a mechanism not enabled.
func (m *metrics) authentication(listener, mechanism string, reauth, ok bool) {
	kind, result := "authentication", "success"
	if reauth {
		kind = "reauthentication"
	}
	if !ok {
		result = "failure"
	}
	m.auth.WithLabelValues(listener, mechanism, kind, result).Inc()
}
