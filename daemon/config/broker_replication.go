package config

// Replication holds follower fetching and ISR settings.
type Replication struct {
	// ReplicaLagTimeMaxMs drops a follower from the ISR when it has not
	// caught up to the leader's end for this long.
	ReplicaLagTimeMaxMs                      int64
	ReplicaSocketTimeoutMs                   int64
	ReplicaSocketReceiveBufferBytes          int64
	ReplicaFetchMaxBytes                     int64
	ReplicaFetchWaitMaxMs                    int64
	ReplicaFetchMinBytes                     int64
	ReplicaFetchResponseMaxBytes             int64
	ReplicaFetchBackoffMs                    int64
	NumReplicaFetchers                       int32
	ReplicaHighWatermarkCheckpointIntervalMs int64
	// Throttle rates in bytes per second, set only through AlterConfigs;
	// math.MaxInt64 means unthrottled.
	LeaderReplicationThrottledRate         int64
	FollowerReplicationThrottledRate       int64
	ReplicaAlterLogDirsIOMaxBytesPerSecond int64
}

// Controller holds controller and leadership-balancing settings.
type Controller struct {
	ControllerSocketTimeoutMs           int64
	ControlledShutdownEnable            bool
	ControlledShutdownMaxRetries        int32
	ControlledShutdownRetryBackoffMs    int64
	AutoLeaderRebalanceEnable           bool
	LeaderImbalancePerBrokerPercentage  int32
	LeaderImbalanceCheckIntervalSeconds int64
}

func replicationDefs() []Def {
	return []Def{
		{Name: "replica.lag.time.max.ms", Type: typeLong, Default: "30000", Importance: High,
			Doc: "A follower that has not caught up for this long leaves the ISR."},
		{Name: "replica.socket.timeout.ms", Type: typeInt, Default: "30000", Importance: High,
			Doc: "Socket timeout of follower fetch requests; at least replica.fetch.wait.max.ms."},
		{Name: "replica.socket.receive.buffer.bytes", Type: typeInt, Default: "-1", Importance: High,
			Doc: "SO_RCVBUF of follower fetch connections; -1 leaves the size to the kernel's autotuning.", Note: socketBufferNote},
		{Name: "replica.fetch.max.bytes", Type: typeInt, Default: "1048576", valid: atLeast(0), Importance: Medium,
			Doc: "Bytes a follower asks per partition; a larger first batch is still returned."},
		{Name: "replica.fetch.wait.max.ms", Type: typeInt, Default: "500", Importance: Medium,
			Doc: "Longest wait of a follower fetch for replica.fetch.min.bytes of data."},
		{Name: "replica.fetch.min.bytes", Type: typeInt, Default: "1", Importance: High,
			Doc: "Bytes a follower fetch waits for before the leader answers."},
		{Name: "replica.fetch.response.max.bytes", Type: typeInt, Default: "10485760", valid: atLeast(0), Importance: Medium,
			Doc: "Bytes a follower asks for in one whole fetch response."},
		{Name: "replica.fetch.backoff.ms", Type: typeInt, Default: "1000", valid: atLeast(0), Importance: Medium,
			Doc: "Pause of a follower after a fetch error."},
		{Name: "num.replica.fetchers", Type: typeInt, Default: "1", Importance: High, Mode: ClusterWide,
			Doc: "Fetcher connections per source broker; more spreads partitions for parallel fetching."},
		{Name: "replica.high.watermark.checkpoint.interval.ms", Type: typeLong, Default: "5000", Importance: High,
			Doc: "How often high watermarks are saved to disk."},
		{Name: "replica.selector.class", Unsupported: true, Type: typeClass, NullDefault: true, Importance: Medium,
			Doc:  "Plugin choosing the replica a consumer fetches from.",
			Note: "Informational: consumers always fetch from the leader in kq."},
		{Name: "replication.quota.window.num", Type: typeInt, Default: "11", valid: atLeast(1), Importance: Low,
			Doc: "Samples kept to measure replication throttles."},
		{Name: "replication.quota.window.size.seconds", Type: typeInt, Default: "1", valid: atLeast(1), Importance: Low,
			Doc: "Length of one replication throttle sample."},
		{Name: "controller.socket.timeout.ms", Type: typeInt, Default: "30000", Importance: Medium,
			Doc: "Socket timeout of controller-to-broker requests."},
		{Name: "controlled.shutdown.enable", Type: typeBool, Default: "true", Importance: Medium,
			Doc: "Move leadership away before the broker shuts down."},
		{Name: "controlled.shutdown.max.retries", Type: typeInt, Default: "3", Importance: Medium,
			Doc: "Attempts at a controlled shutdown before an unclean one."},
		{Name: "controlled.shutdown.retry.backoff.ms", Type: typeLong, Default: "5000", Importance: Medium,
			Doc: "Pause between controlled shutdown attempts."},
		{Name: "auto.leader.rebalance.enable", Type: typeBool, Default: "true", Importance: High,
			Doc: "Periodically move leadership back to preferred replicas."},
		{Name: "leader.imbalance.per.broker.percentage", Type: typeInt, Default: "10", Importance: High,
			Doc: "Share of non-preferred leaders on a broker that triggers a rebalance."},
		{Name: "leader.imbalance.check.interval.seconds", Type: typeLong, Default: "300", valid: atLeast(1), Importance: High,
			Doc: "How often the controller checks leader balance."},
	}
}

// dynamicOnlyDefs are DynamicConfig.Broker keys: AlterConfigs only.
func dynamicOnlyDefs() []Def {
	return []Def{
		{Name: "leader.replication.throttled.rate", Type: typeLong, Default: longMax, valid: atLeast(0), Importance: Medium, Mode: ClusterWide,
			Doc: "Bytes per second leaders may send for throttled replicas."},
		{Name: "follower.replication.throttled.rate", Type: typeLong, Default: longMax, valid: atLeast(0), Importance: Medium, Mode: ClusterWide,
			Doc: "Bytes per second followers may fetch for throttled replicas."},
		{Name: "replica.alter.log.dirs.io.max.bytes.per.second", Type: typeLong, Default: longMax, valid: atLeast(0), Importance: Medium, Mode: ClusterWide,
			Doc: "Bytes per second for moving replicas between log directories."},
	}
}

func fillReplication(r *reader) (Replication, error) {
	rep := Replication{
		ReplicaLagTimeMaxMs:                      r.i64("replica.lag.time.max.ms"),
		ReplicaSocketTimeoutMs:                   r.i64("replica.socket.timeout.ms"),
		ReplicaSocketReceiveBufferBytes:          r.i64("replica.socket.receive.buffer.bytes"),
		ReplicaFetchMaxBytes:                     r.i64("replica.fetch.max.bytes"),
		ReplicaFetchWaitMaxMs:                    r.i64("replica.fetch.wait.max.ms"),
		ReplicaFetchMinBytes:                     r.i64("replica.fetch.min.bytes"),
		ReplicaFetchResponseMaxBytes:             r.i64("replica.fetch.response.max.bytes"),
		ReplicaFetchBackoffMs:                    r.i64("replica.fetch.backoff.ms"),
		NumReplicaFetchers:                       r.i32("num.replica.fetchers"),
		ReplicaHighWatermarkCheckpointIntervalMs: r.i64("replica.high.watermark.checkpoint.interval.ms"),
		LeaderReplicationThrottledRate:           r.i64("leader.replication.throttled.rate"),
		FollowerReplicationThrottledRate:         r.i64("follower.replication.throttled.rate"),
		ReplicaAlterLogDirsIOMaxBytesPerSecond:   r.i64("replica.alter.log.dirs.io.max.bytes.per.second"),
	}
	return rep, rep.validate()
}

// validate applies KafkaConfig's cross-checks of follower timeouts.
func (rep Replication) validate() error {
	if rep.ReplicaFetchWaitMaxMs > rep.ReplicaSocketTimeoutMs {
		return configError("replica.socket.timeout.ms",
			"replica.socket.timeout.ms should always be at least replica.fetch.wait.max.ms to prevent unnecessary socket timeouts")
	}
	if rep.ReplicaFetchWaitMaxMs > rep.ReplicaLagTimeMaxMs {
		return configError("replica.fetch.wait.max.ms",
			"replica.fetch.wait.max.ms should always be less than or equal to replica.lag.time.max.ms to prevent frequent changes in ISR")
	}
	return nil
}

func fillController(r *reader) Controller {
	return Controller{
		ControllerSocketTimeoutMs:           r.i64("controller.socket.timeout.ms"),
		ControlledShutdownEnable:            r.bool("controlled.shutdown.enable"),
		ControlledShutdownMaxRetries:        r.i32("controlled.shutdown.max.retries"),
		ControlledShutdownRetryBackoffMs:    r.i64("controlled.shutdown.retry.backoff.ms"),
		AutoLeaderRebalanceEnable:           r.bool("auto.leader.rebalance.enable"),
		LeaderImbalancePerBrokerPercentage:  r.i32("leader.imbalance.per.broker.percentage"),
		LeaderImbalanceCheckIntervalSeconds: r.i64("leader.imbalance.check.interval.seconds"),
	}
}
