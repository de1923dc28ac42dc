package config

// threadsNote explains why Kafka's thread-pool sizes do not bind kq.
const threadsNote = "Informational: kq serves requests on goroutines, not a fixed thread pool; the value is kept for DescribeConfigs."

// Requests holds request-processing limits.
type Requests struct {
	// NumNetworkThreads, NumIOThreads and BackgroundThreads are accepted and
	// reported, but kq schedules work on goroutines (see Def.Note).
	NumNetworkThreads int32
	NumIOThreads      int32
	BackgroundThreads int32
	// QueuedMaxRequests bounds requests read but not yet answered, per broker.
	QueuedMaxRequests int32
	// QueuedMaxRequestBytes bounds their total size; -1 is unlimited.
	QueuedMaxRequestBytes int64
	RequestTimeoutMs      int64
	// FetchMaxBytes caps one fetch response, whatever the client asks.
	FetchMaxBytes                        int64
	MaxIncrementalFetchSessionCacheSlots int32
}

func requestDefs() []Def {
	return []Def{
		{Name: "num.network.threads", Type: typeInt, Default: "3", valid: atLeast(1), Importance: High, Mode: ClusterWide,
			Doc: "Threads that read requests from and write responses to the network.", Note: threadsNote},
		{Name: "num.io.threads", Type: typeInt, Default: "8", valid: atLeast(1), Importance: High, Mode: ClusterWide,
			Doc: "Threads that process requests, including disk I/O.", Note: threadsNote},
		{Name: "background.threads", Type: typeInt, Default: "10", valid: atLeast(1), Importance: High, Mode: ClusterWide,
			Doc: "Threads for background work such as deleting old segments.", Note: threadsNote},
		{Name: "queued.max.requests", Type: typeInt, Default: "500", valid: atLeast(1), Importance: High,
			Doc: "Requests that may wait for processing before the broker stops reading sockets."},
		{Name: "queued.max.request.bytes", Type: typeLong, Default: "-1", Importance: Medium,
			Doc: "Bytes of queued requests allowed before reading stops; -1 for no limit."},
		{Name: "request.timeout.ms", Type: typeInt, Default: "30000", Importance: High,
			Doc: "How long the broker's own clients wait for a response before retrying or failing."},
		{Name: "fetch.max.bytes", Type: typeInt, Default: "57671680", valid: atLeast(1024), Importance: Medium,
			Doc: "Largest fetch response the broker returns."},
		{Name: "max.incremental.fetch.session.cache.slots", Type: typeInt, Default: "1000", valid: atLeast(0), Importance: Medium,
			Doc: "Incremental fetch sessions kept at once."},
		{Name: "fetch.purgatory.purge.interval.requests", Type: typeInt, Default: "1000", Importance: Medium,
			Doc:  "Completed requests between purges of the fetch purgatory.",
			Note: "Informational: kq wakes waiting fetches directly."},
		{Name: "producer.purgatory.purge.interval.requests", Type: typeInt, Default: "1000", Importance: Medium,
			Doc:  "Completed requests between purges of the produce purgatory.",
			Note: "Informational: kq wakes waiting produces directly."},
		{Name: "delete.records.purgatory.purge.interval.requests", Type: typeInt, Default: "1", Importance: Medium,
			Doc:  "Completed requests between purges of the delete-records purgatory.",
			Note: "Informational."},
	}
}

// metricsNote explains that Kafka's JMX metric settings do not apply.
const metricsNote = "Informational: kq exports Prometheus metrics; Kafka metric reporters are not loaded."

func metricsDefs() []Def {
	return []Def{
		{Name: "metric.reporters", Type: typeList, Default: "", Importance: Low, Mode: ClusterWide,
			Doc: "Classes that receive broker metrics.", Note: metricsNote},
		{Name: "metrics.num.samples", Type: typeInt, Default: "2", valid: atLeast(1), Importance: Low,
			Doc: "Samples kept to compute a metric.", Note: metricsNote},
		{Name: "metrics.sample.window.ms", Type: typeLong, Default: "30000", valid: atLeast(1), Importance: Low,
			Doc: "Time window of one metric sample.", Note: metricsNote},
		{Name: "metrics.recording.level", Type: typeString, Default: "INFO", valid: oneOf{"INFO", "DEBUG", "TRACE"}, Importance: Low,
			Doc: "Most detailed metric level recorded.", Note: metricsNote},
	}
}

func fillRequests(r *reader) Requests {
	return Requests{
		NumNetworkThreads:                    r.i32("num.network.threads"),
		NumIOThreads:                         r.i32("num.io.threads"),
		BackgroundThreads:                    r.i32("background.threads"),
		QueuedMaxRequests:                    r.i32("queued.max.requests"),
		QueuedMaxRequestBytes:                r.i64("queued.max.request.bytes"),
		RequestTimeoutMs:                     r.i64("request.timeout.ms"),
		FetchMaxBytes:                        r.i64("fetch.max.bytes"),
		MaxIncrementalFetchSessionCacheSlots: r.i32("max.incremental.fetch.session.cache.slots"),
	}
}
