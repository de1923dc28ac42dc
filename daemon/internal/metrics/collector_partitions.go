package metrics

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
)

// collectReplicas reports ReplicaManager's partition gauges: the
// under-replicated and min-ISR counts cover partitions led here only, as in
// Kafka, so summing them over brokers counts each partition once.
func collectReplicas(ch chan<- prometheus.Metric, parts []Partition) {
	var leaders, urp, underMin, atMin int
	for _, p := range parts {
		if !p.Leader {
			continue
		}
		leaders++
		under := 0.0
		if p.ISR < p.Replicas {
			urp++
			under = 1
		}
		ch <- gauge(partURPDesc, under, p.Topic, partitionLabel(p.Partition))
		switch {
		case p.ISR < p.MinInsync:
			underMin++
		case p.ISR == p.MinInsync:
			atMin++
		}
	}
	ch <- gauge(partitionCountDesc, float64(len(parts)))
	ch <- gauge(leaderCountDesc, float64(leaders))
	ch <- gauge(underReplicatedDesc, float64(urp))
	ch <- gauge(underMinIsrDesc, float64(underMin))
	ch <- gauge(atMinIsrDesc, float64(atMin))
}

// collectLogs reports Kafka's per-partition Log gauges, for every replica
// hosted here (leader or follower), as Kafka does.
func collectLogs(ch chan<- prometheus.Metric, parts []Partition) {
	for _, p := range parts {
		l := []string{p.Topic, partitionLabel(p.Partition)}
		ch <- gauge(logSizeDesc, float64(p.Size), l...)
		ch <- gauge(logEndDesc, float64(p.LogEndOffset), l...)
		ch <- gauge(logStartDesc, float64(p.LogStartOffset), l...)
		ch <- gauge(logSegmentsDesc, float64(p.Segments), l...)
	}
}

// topicTotals are one topic's BrokerTopicMetrics meters.
type topicTotals struct{ messagesIn, bytesIn, bytesOut int64 }

func (t *topicTotals) add(p Partition) {
	t.messagesIn += p.MessagesIn
	t.bytesIn += p.BytesIn
	t.bytesOut += p.BytesOut
}

// collectTopics sums the partitions' meters per topic (parts is sorted by
// topic), then over all topics under topic="".
func collectTopics(ch chan<- prometheus.Metric, parts []Partition) {
	var all topicTotals
	for i := 0; i < len(parts); {
		var t topicTotals
		topic := parts[i].Topic
		for ; i < len(parts) && parts[i].Topic == topic; i++ {
			t.add(parts[i])
		}
		emitTopic(ch, topic, t)
		all.messagesIn += t.messagesIn
		all.bytesIn += t.bytesIn
		all.bytesOut += t.bytesOut
	}
	emitTopic(ch, "", all)
}

func emitTopic(ch chan<- prometheus.Metric, topic string, t topicTotals) {
	ch <- counter(messagesInDesc, float64(t.messagesIn), topic)
	ch <- counter(bytesInDesc, float64(t.bytesIn), topic)
	ch <- counter(bytesOutDesc, float64(t.bytesOut), topic)
}

// collectLag reports each committed offset and, when the partition is
// hosted here, the lag behind its high watermark (never negative: a commit
// may run ahead of a follower's high watermark).
func collectLag(ch chan<- prometheus.Metric, parts []Partition, offsets []GroupOffset) {
	type key struct {
		topic string
		part  int32
	}
	hw := make(map[key]int64, len(parts))
	for _, p := range parts {
		hw[key{p.Topic, p.Partition}] = p.HighWatermark
	}
	for _, o := range offsets {
		l := []string{o.Group, o.Topic, partitionLabel(o.Partition)}
		ch <- gauge(committedDesc, float64(o.Offset), l...)
		if end, ok := hw[key{o.Topic, o.Partition}]; ok {
			ch <- gauge(lagDesc, float64(max(end-o.Offset, 0)), l...)
		}
	}
}

func partitionLabel(p int32) string { return strconv.Itoa(int(p)) }
