package metrics

import (
	"cmp"
	"slices"

	"github.com/prometheus/client_golang/prometheus"
)

// Collector reports a broker's state under Kafka's metric names (see the
// package doc). It reads Source at every scrape.
type Collector struct {
	src  Source
	idle *idleSampler
}

// NewCollector returns a collector over src.
func NewCollector(src Source) *Collector {
	return &Collector{src: src, idle: newIdleSampler()}
}

func desc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(name, help, labels, nil)
}

var (
	partitionCountDesc  = desc("kafka_server_replicamanager_partitioncount", "Partitions hosted by this broker (ReplicaManager PartitionCount).")
	leaderCountDesc     = desc("kafka_server_replicamanager_leadercount", "Partitions led by this broker (ReplicaManager LeaderCount).")
	underReplicatedDesc = desc("kafka_server_replicamanager_underreplicatedpartitions", "Partitions led here whose ISR is smaller than their replicas (ReplicaManager UnderReplicatedPartitions).")
	underMinIsrDesc     = desc("kafka_server_replicamanager_underminisrpartitioncount", "Partitions led here whose ISR is smaller than min.insync.replicas (ReplicaManager UnderMinIsrPartitionCount).")
	atMinIsrDesc        = desc("kafka_server_replicamanager_atminisrpartitioncount", "Partitions led here whose ISR equals min.insync.replicas (ReplicaManager AtMinIsrPartitionCount).")
	isrShrinksDesc      = desc("kafka_server_replicamanager_isrshrinks_total", "ISR shrinks of partitions led here (ReplicaManager IsrShrinksPerSec).")
	isrExpandsDesc      = desc("kafka_server_replicamanager_isrexpands_total", "ISR expansions of partitions led here (ReplicaManager IsrExpandsPerSec).")
	partURPDesc         = desc("kafka_cluster_partition_underreplicated", "1 when this partition, led here, is under-replicated (Partition UnderReplicated).", "topic", "partition")

	activeControllerDesc = desc("kafka_controller_kafkacontroller_activecontrollercount", "1 on the active controller, else 0 (KafkaController ActiveControllerCount).")
	offlineDesc          = desc("kafka_controller_kafkacontroller_offlinepartitionscount", "Partitions without a leader, reported by the active controller only (KafkaController OfflinePartitionsCount).")

	logSizeDesc     = desc("kafka_log_log_size", "Bytes of the partition's log segments (Log Size).", "topic", "partition")
	logEndDesc      = desc("kafka_log_log_logendoffset", "Offset the next record appended gets (Log LogEndOffset).", "topic", "partition")
	logStartDesc    = desc("kafka_log_log_logstartoffset", "First offset a reader may ask for (Log LogStartOffset).", "topic", "partition")
	logSegmentsDesc = desc("kafka_log_log_numlogsegments", "Segments of the partition's log (Log NumLogSegments).", "topic", "partition")

	messagesInDesc = desc("kafka_server_brokertopicmetrics_messagesin_total", "Records appended as leader; topic=\"\" sums all topics (BrokerTopicMetrics MessagesInPerSec).", "topic")
	bytesInDesc    = desc("kafka_server_brokertopicmetrics_bytesin_total", "Record bytes appended as leader; topic=\"\" sums all topics (BrokerTopicMetrics BytesInPerSec).", "topic")
	bytesOutDesc   = desc("kafka_server_brokertopicmetrics_bytesout_total", "Record bytes sent to consumers; topic=\"\" sums all topics (BrokerTopicMetrics BytesOutPerSec).", "topic")

	lagDesc       = desc("kafka_consumergroup_lag", "High watermark minus the group's committed offset, for groups coordinated here and partitions hosted here (kafka_exporter).", "consumergroup", "topic", "partition")
	committedDesc = desc("kafka_consumergroup_current_offset", "The group's committed offset, for groups coordinated here (kafka_exporter).", "consumergroup", "topic", "partition")

	brokerStateDesc  = desc("kafka_server_kafkaserver_brokerstate", "1 starting, 3 running, 6 pending controlled shutdown, 7 shutting down (KafkaServer BrokerState).")
	requestQueueDesc = desc("kafka_network_requestchannel_requestqueuesize", "Requests read and waiting to be handled (RequestChannel RequestQueueSize).")
	netIdleDesc      = desc("kafka_network_socketserver_networkprocessoravgidle_percent", "Fraction of the process's CPU capacity left idle over the last seconds (SocketServer NetworkProcessorAvgIdlePercent; kq has no thread pools).")
	handlerIdleDesc  = desc("kafka_server_kafkarequesthandlerpool_requesthandleravgidle_percent", "Fraction of the process's CPU capacity left idle over the last seconds (KafkaRequestHandlerPool RequestHandlerAvgIdlePercent; kq has no thread pools).")
)

var allDescs = []*prometheus.Desc{
	partitionCountDesc, leaderCountDesc, underReplicatedDesc, underMinIsrDesc, atMinIsrDesc,
	isrShrinksDesc, isrExpandsDesc, partURPDesc, activeControllerDesc, offlineDesc,
	logSizeDesc, logEndDesc, logStartDesc, logSegmentsDesc,
	messagesInDesc, bytesInDesc, bytesOutDesc, lagDesc, committedDesc,
	requestQueueDesc, netIdleDesc, handlerIdleDesc, brokerStateDesc,
}

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range allDescs {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	parts := c.src.Partitions()
	slices.SortFunc(parts, func(a, b Partition) int {
		return cmp.Or(cmp.Compare(a.Topic, b.Topic), cmp.Compare(a.Partition, b.Partition))
	})
	collectReplicas(ch, parts)
	collectLogs(ch, parts)
	collectTopics(ch, parts)
	collectLag(ch, parts, c.src.GroupOffsets())
	shrinks, expands := c.src.IsrChanges()
	ch <- counter(isrShrinksDesc, float64(shrinks))
	ch <- counter(isrExpandsDesc, float64(expands))
	active, offline := 0.0, 0.0
	if c.src.ActiveController() {
		active, offline = 1, float64(c.src.OfflinePartitions())
	}
	ch <- gauge(activeControllerDesc, active)
	ch <- gauge(offlineDesc, offline)
	ch <- gauge(requestQueueDesc, float64(c.src.QueuedRequests()))
	ch <- gauge(brokerStateDesc, float64(c.src.BrokerState()))
	if idle, ok := c.idle.ratio(); ok {
		ch <- gauge(netIdleDesc, idle)
		ch <- gauge(handlerIdleDesc, idle)
	}
}

func gauge(d *prometheus.Desc, v float64, labels ...string) prometheus.Metric {
	return prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
}

func counter(d *prometheus.Desc, v float64, labels ...string) prometheus.Metric {
	return prometheus.MustNewConstMetric(d, prometheus.CounterValue, v, labels...)
}
