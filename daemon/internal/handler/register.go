package handler

// registerAll lists every API the broker serves. The version ranges are
// the ones Kafka 3.9 serves in ZooKeeper mode (franz-go's kversion.V3_9_0),
// old versions included: Produce v0-2 and Fetch v0-3 carry legacy message
// sets (magic 0 and 1), converted to and from the log's record batches.
func (h *Handler) registerAll() {
	h.register(0, 0, 11, h.produce)
	h.register(1, 0, 17, h.fetch)
	h.register(2, 0, 9, plain(h.listOffsets))
	h.register(3, 0, 12, plain(h.metadata))
	h.register(4, 0, 7, plain(h.leaderAndIsr))
	h.register(5, 0, 4, plain(h.stopReplica))
	h.register(6, 0, 8, plain(h.updateMetadata))
	h.register(7, 0, 3, plain(h.controlledShutdown))
	h.register(8, 0, 9, h.offsetCommit)
	h.register(9, 0, 9, h.offsetFetchAnyVersion)
	h.register(10, 0, 6, plain(h.findCoordinator))
	h.register(11, 0, 9, h.joinGroup)
	h.register(12, 0, 4, plain(h.heartbeat))
	h.register(13, 0, 5, plain(h.leaveGroup))
	h.register(14, 0, 5, h.syncGroup)
	h.register(15, 0, 5, plain(h.describeGroups))
	h.register(16, 0, 5, plain(h.listGroups))
	h.register(18, 0, 4, plain(h.apiVersions))
	h.register(19, 0, 7, h.createTopics)
	h.register(20, 0, 6, h.deleteTopics)
	h.register(21, 0, 2, plain(h.deleteRecords))
	h.register(23, 0, 4, plain(h.offsetForLeaderEpoch))
	h.register(32, 0, 4, plain(h.describeConfigs))
	h.register(33, 0, 2, plain(h.alterConfigs))
	h.register(35, 0, 4, plain(h.describeLogDirs))
	h.register(37, 0, 3, h.createPartitions)
	h.register(42, 0, 2, plain(h.deleteGroups))
	h.register(43, 0, 2, h.electLeaders)
	h.register(44, 0, 1, plain(h.incrementalAlterConfigs))
	h.register(45, 0, 0, plain(h.alterPartitionReassignments))
	h.register(46, 0, 0, plain(h.listPartitionReassignments))
	h.register(47, 0, 0, plain(h.offsetDelete))
	h.register(60, 0, 1, plain(h.describeCluster))
	h.registerTxnCoordinator()
	h.registerTxnMarkers()
}
