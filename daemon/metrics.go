package daemon

import (
	"fmt"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/daemon/internal/metrics"
)

// observability is the broker's metrics registry and its HTTP endpoint
// (kq.metrics.listener).
type observability struct {
	reg      prometheus.Registerer
	gatherer prometheus.Gatherer // nil when Options.Metrics is not one
	requests *metrics.Requests
	http     *metrics.Server
	// live is set once the broker is registered; the scrape and readiness
	// goroutines read the broker's parts through it only.
	live atomic.Pointer[liveBroker]
	// state is Kafka's BrokerState of this broker.
	state atomic.Int32
	// sessionLost is set while a new metadata session is being opened
	// after the last one expired: the broker's registration is gone.
	sessionLost atomic.Bool
}

// newObservability uses Options.Metrics when given, else a registry of the
// broker's own, so brokers of one process (--brokers N) never share one.
func newObservability(reg prometheus.Registerer) *observability {
	o := &observability{requests: &metrics.Requests{}, reg: reg}
	o.state.Store(metrics.BrokerStarting)
	if reg == nil {
		r := prometheus.NewRegistry()
		r.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
		o.reg = r
	}
	o.gatherer, _ = o.reg.(prometheus.Gatherer)
	return o
}

// serveMetrics registers the Kafka collectors and, with kq.metrics.listener
// set, serves them with /healthz and /readyz from before registration on.
func (d *Daemon) serveMetrics() error {
	o := d.obs
	if err := o.reg.Register(metrics.NewCollector(&metricsSource{o: o})); err != nil {
		return fmt.Errorf("register broker metrics: %w", err)
	}
	if err := o.reg.Register(o.requests); err != nil {
		return fmt.Errorf("register request metrics: %w", err)
	}
	addr := d.cfg.MetricsListener
	if addr == "" {
		return nil
	}
	if o.gatherer == nil {
		d.log.Warn("kq.metrics.listener ignored: Options.Metrics cannot be gathered, serve it yourself")
		return nil
	}
	srv, err := metrics.Listen(addr, metrics.Handler(o.gatherer, o.notReady), d.log.With("component", "metrics"))
	if err != nil {
		return err
	}
	o.http = srv
	return nil
}

// publishLive makes the started broker visible to scrapes and readiness.
func (d *Daemon) publishLive() {
	d.obs.live.Store(&liveBroker{d: d, id: d.cfg.BrokerID})
	d.obs.state.Store(metrics.BrokerRunning)
}

// stopMetrics stops the endpoint before the parts it reads close.
func (d *Daemon) stopMetrics() {
	d.obs.state.Store(metrics.BrokerShuttingDown)
	d.obs.live.Store(nil)
	if d.obs.http != nil {
		if err := d.obs.http.Close(); err != nil {
			d.log.Warn("closing metrics endpoint", "err", err)
		}
	}
}

// notReady lists what keeps the broker from serving as a cluster member:
// not registered yet, no metadata from the controller, or offline
// partitions or log directories here.
func (o *observability) notReady() []string {
	l := o.live.Load()
	if l == nil {
		return []string{"not registered: the broker is starting or shutting down"}
	}
	var out []string
	if o.sessionLost.Load() {
		out = append(out, "not registered: the metadata session expired; registering again")
	}
	snap := l.d.cache.Load()
	if _, ok := snap.Brokers[l.id]; !ok {
		out = append(out, "metadata not loaded: no UpdateMetadata from the controller lists this broker yet")
	}
	if off := offlineHere(snap, l.id); len(off) > 0 {
		out = append(out, "offline partitions with a replica here: "+strings.Join(off, ", "))
	}
	if dirs := l.d.logs.OfflineDirs(); len(dirs) > 0 {
		out = append(out, "offline log directories: "+strings.Join(dirs, ", "))
	}
	return out
}

// maxListed bounds the partitions a readiness answer names.
const maxListed = 10

// offlineHere names the leaderless partitions that have a replica on this
// broker, sorted, at most maxListed.
func offlineHere(snap *metadatacache.Snapshot, id int32) []string {
	var out []string
	for _, name := range snap.TopicNames() {
		for _, p := range snap.Topics[name].Partitions {
			if p.Leader == metadatacache.NoLeader && slices.Contains(p.Replicas, id) {
				out = append(out, fmt.Sprintf("%s-%d", name, p.Partition))
			}
		}
	}
	if len(out) > maxListed {
		out = append(out[:maxListed], fmt.Sprintf("and %d more", len(out)-maxListed))
	}
	return out
}
