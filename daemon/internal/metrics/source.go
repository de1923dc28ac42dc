package metrics

// Source is the broker state the collector reads at scrape time. Every
// method returns a snapshot the caller owns; none blocks on I/O.
type Source interface {
	// Partitions returns the partitions hosted by this broker.
	Partitions() []Partition
	// GroupOffsets returns the committed offsets of the groups this broker
	// coordinates.
	GroupOffsets() []GroupOffset
	// ActiveController reports whether this broker is the controller.
	ActiveController() bool
	// OfflinePartitions counts the partitions of the cluster without a
	// leader, as this broker's metadata knows them.
	OfflinePartitions() int
	// IsrChanges returns how many times the ISR of a partition led here
	// shrank and expanded since the broker started.
	IsrChanges() (shrinks, expands int64)
	// QueuedRequests is the number of requests read and not yet handled.
	QueuedRequests() int
	// BrokerState is one of the Broker* states.
	BrokerState() int32
}

// Kafka's BrokerState values (kafka.metadata.BrokerState) that a kq
// broker passes through.
const (
	BrokerStarting                  = 1
	BrokerRunning                   = 3
	BrokerPendingControlledShutdown = 6
	BrokerShuttingDown              = 7
)

// Partition is one hosted partition as the collector reports it.
type Partition struct {
	Topic     string
	Partition int32
	// Leader is set when this broker leads the partition; the replica
	// counts are the leader's view and meaningful only then.
	Leader    bool
	Replicas  int
	ISR       int
	MinInsync int

	LogStartOffset int64
	LogEndOffset   int64
	HighWatermark  int64
	Size           int64
	Segments       int

	// MessagesIn, BytesIn and BytesOut count since the partition was
	// opened here: appends as leader and consumer fetches.
	MessagesIn, BytesIn, BytesOut int64
}

// GroupOffset is one committed offset of a consumer group.
type GroupOffset struct {
	Group     string
	Topic     string
	Partition int32
	Offset    int64
}
