package config

import "strconv"

// GroupCoordinator holds consumer group and __consumer_offsets settings.
type GroupCoordinator struct {
	GroupMinSessionTimeoutMs      int64
	GroupMaxSessionTimeoutMs      int64
	GroupInitialRebalanceDelayMs  int64
	GroupMaxSize                  int32
	OffsetMetadataMaxBytes        int64
	OffsetsLoadBufferSize         int64
	OffsetsTopicReplicationFactor int16
	OffsetsTopicNumPartitions     int32
	OffsetsTopicSegmentBytes      int64
	// OffsetsTopicCompressionCodec is Kafka's codec id (0 none, 1 gzip,
	// 2 snappy, 3 lz4, 4 zstd) for offset commit batches.
	OffsetsTopicCompressionCodec int32
	// OffsetsRetentionMs is offsets.retention.minutes in milliseconds.
	OffsetsRetentionMs              int64
	OffsetsRetentionCheckIntervalMs int64
	OffsetsCommitTimeoutMs          int64
	OffsetsCommitRequiredAcks       int16
}

// TransactionCoordinator holds transaction and producer-id settings.
type TransactionCoordinator struct {
	TransactionMaxTimeoutMs                              int64
	TransactionStateLogLoadBufferSize                    int64
	TransactionStateLogReplicationFactor                 int16
	TransactionStateLogNumPartitions                     int32
	TransactionStateLogSegmentBytes                      int64
	TransactionStateLogMinISR                            int32
	TransactionalIDExpirationMs                          int64
	TransactionAbortTimedOutTransactionCleanupIntervalMs int64
	TransactionRemoveExpiredTransactionCleanupIntervalMs int64
	TransactionPartitionVerificationEnable               bool
	ProducerIDExpirationMs                               int64
	ProducerIDExpirationCheckIntervalMs                  int64
}

func coordinatorDefs() []Def {
	return append(groupDefs(), transactionDefs()...)
}

func groupDefs() []Def {
	return []Def{
		{Name: "group.min.session.timeout.ms", Type: typeInt, Default: "6000", Importance: Medium,
			Doc: "Shortest session timeout a group member may ask for."},
		{Name: "group.max.session.timeout.ms", Type: typeInt, Default: "1800000", Importance: Medium,
			Doc: "Longest session timeout a group member may ask for."},
		{Name: "group.initial.rebalance.delay.ms", Type: typeInt, Default: "3000", Importance: Medium,
			Doc: "Wait for more members before the first rebalance of an empty group."},
		{Name: "group.max.size", Type: typeInt, Default: "2147483647", valid: atLeast(1), Importance: Medium,
			Doc: "Members one consumer group may have."},
		{Name: "offset.metadata.max.bytes", Type: typeInt, Default: "4096", Importance: High,
			Doc: "Largest metadata string stored with a committed offset."},
		{Name: "offsets.load.buffer.size", Type: typeInt, Default: "5242880", valid: atLeast(1), Importance: High,
			Doc: "Read batch size when loading __consumer_offsets into the coordinator cache."},
		{Name: "offsets.topic.replication.factor", Type: typeShort, Default: "3", valid: atLeast(1), Importance: High,
			Doc: "Replication factor of __consumer_offsets; creation waits until that many brokers exist."},
		{Name: "offsets.topic.num.partitions", Type: typeInt, Default: "50", valid: atLeast(1), Importance: High,
			Doc: "Partitions of __consumer_offsets; must not change once it exists."},
		{Name: "offsets.topic.segment.bytes", Type: typeInt, Default: "104857600", valid: atLeast(1), Importance: High,
			Doc: "Segment size of __consumer_offsets, kept small for fast compaction and loading."},
		{Name: "offsets.topic.compression.codec", Type: typeInt, Default: "0", Importance: High,
			Doc: "Compression codec id of offset commit batches."},
		{Name: "offsets.retention.minutes", Type: typeInt, Default: "10080", valid: atLeast(1), Importance: High,
			Doc: "How long committed offsets of an empty group are kept."},
		{Name: "offsets.retention.check.interval.ms", Type: typeLong, Default: "600000", valid: atLeast(1), Importance: High,
			Doc: "How often stale offsets are looked for."},
		{Name: "offsets.commit.timeout.ms", Type: typeInt, Default: "5000", valid: atLeast(1), Importance: High,
			Doc: "Wait for an offset commit to be replicated before failing it."},
		{Name: "offsets.commit.required.acks", Type: typeShort, Default: "-1", Importance: High,
			Doc: "Deprecated: acks required for an offset commit."},
	}
}

func transactionDefs() []Def {
	return []Def{
		{Name: "transaction.max.timeout.ms", Type: typeInt, Default: "900000", valid: atLeast(1), Importance: High,
			Doc: "Longest transaction timeout a producer may ask for."},
		{Name: "transaction.state.log.load.buffer.size", Type: typeInt, Default: "5242880", valid: atLeast(1), Importance: High,
			Doc: "Read batch size when loading __transaction_state into the coordinator cache."},
		{Name: "transaction.state.log.replication.factor", Type: typeShort, Default: "3", valid: atLeast(1), Importance: High,
			Doc: "Replication factor of __transaction_state."},
		{Name: "transaction.state.log.num.partitions", Type: typeInt, Default: "50", valid: atLeast(1), Importance: High,
			Doc: "Partitions of __transaction_state; must not change once it exists."},
		{Name: "transaction.state.log.segment.bytes", Type: typeInt, Default: "104857600", valid: atLeast(1), Importance: High,
			Doc: "Segment size of __transaction_state."},
		{Name: "transaction.state.log.min.isr", Type: typeInt, Default: "2", valid: atLeast(1), Importance: High,
			Doc: "min.insync.replicas of __transaction_state."},
		{Name: "transactional.id.expiration.ms", Type: typeInt, Default: "604800000", valid: atLeast(1), Importance: High,
			Doc: "Idle time after which a transactional id is forgotten."},
		{Name: "transaction.abort.timed.out.transaction.cleanup.interval.ms", Type: typeInt, Default: "10000", valid: atLeast(1), Importance: Low,
			Doc: "How often timed-out transactions are rolled back."},
		{Name: "transaction.remove.expired.transaction.cleanup.interval.ms", Type: typeInt, Default: "3600000", valid: atLeast(1), Importance: Low,
			Doc: "How often expired transactional ids are removed."},
		{Name: "transaction.partition.verification.enable", Type: typeBool, Default: "true", Importance: Low, Mode: ClusterWide,
			Doc: "Check that a partition was added to a transaction before a transactional write."},
		{Name: "producer.id.expiration.ms", Type: typeInt, Default: "86400000", valid: atLeast(1), Importance: Low, Mode: ClusterWide,
			Doc: "Idle time after which a producer id's state is forgotten by a partition."},
		{Name: "producer.id.expiration.check.interval.ms", Type: typeInt, Default: "600000", valid: atLeast(1), Importance: Low,
			Doc: "How often expired producer ids are removed."},
	}
}

func fillGroupCoordinator(r *reader) (GroupCoordinator, error) {
	g := GroupCoordinator{
		GroupMinSessionTimeoutMs:        r.i64("group.min.session.timeout.ms"),
		GroupMaxSessionTimeoutMs:        r.i64("group.max.session.timeout.ms"),
		GroupInitialRebalanceDelayMs:    r.i64("group.initial.rebalance.delay.ms"),
		GroupMaxSize:                    r.i32("group.max.size"),
		OffsetMetadataMaxBytes:          r.i64("offset.metadata.max.bytes"),
		OffsetsLoadBufferSize:           r.i64("offsets.load.buffer.size"),
		OffsetsTopicReplicationFactor:   r.i16("offsets.topic.replication.factor"),
		OffsetsTopicNumPartitions:       r.i32("offsets.topic.num.partitions"),
		OffsetsTopicSegmentBytes:        r.i64("offsets.topic.segment.bytes"),
		OffsetsTopicCompressionCodec:    r.i32("offsets.topic.compression.codec"),
		OffsetsRetentionMs:              r.i64("offsets.retention.minutes") * 60_000,
		OffsetsRetentionCheckIntervalMs: r.i64("offsets.retention.check.interval.ms"),
		OffsetsCommitTimeoutMs:          r.i64("offsets.commit.timeout.ms"),
		OffsetsCommitRequiredAcks:       r.i16("offsets.commit.required.acks"),
	}
	if acks := g.OffsetsCommitRequiredAcks; acks < -1 || acks > g.OffsetsTopicReplicationFactor {
		return g, invalidValue("offsets.commit.required.acks", strconv.Itoa(int(acks)),
			"offsets.commit.required.acks must be greater or equal -1 and less or equal to offsets.topic.replication.factor")
	}
	return g, nil
}

func fillTransactionCoordinator(r *reader) TransactionCoordinator {
	return TransactionCoordinator{
		TransactionMaxTimeoutMs:                              r.i64("transaction.max.timeout.ms"),
		TransactionStateLogLoadBufferSize:                    r.i64("transaction.state.log.load.buffer.size"),
		TransactionStateLogReplicationFactor:                 r.i16("transaction.state.log.replication.factor"),
		TransactionStateLogNumPartitions:                     r.i32("transaction.state.log.num.partitions"),
		TransactionStateLogSegmentBytes:                      r.i64("transaction.state.log.segment.bytes"),
		TransactionStateLogMinISR:                            r.i32("transaction.state.log.min.isr"),
		TransactionalIDExpirationMs:                          r.i64("transactional.id.expiration.ms"),
		TransactionAbortTimedOutTransactionCleanupIntervalMs: r.i64("transaction.abort.timed.out.transaction.cleanup.interval.ms"),
		TransactionRemoveExpiredTransactionCleanupIntervalMs: r.i64("transaction.remove.expired.transaction.cleanup.interval.ms"),
		TransactionPartitionVerificationEnable:               r.bool("transaction.partition.verification.enable"),
		ProducerIDExpirationMs:                               r.i64("producer.id.expiration.ms"),
		ProducerIDExpirationCheckIntervalMs:                  r.i64("producer.id.expiration.check.interval.ms"),
	}
}
