package topics

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
)

// TopicDescription is one described topic, as `-o json|yaml` prints it.
type TopicDescription struct {
	Name              string `json:"name"`
	ID                string `json:"topic_id,omitempty"`
	Internal          bool   `json:"internal"`
	PartitionCount    int    `json:"partition_count"`
	ReplicationFactor int    `json:"replication_factor"`
	// Configs are the non-default configs ("Configs:" in Kafka's text),
	// in name order.
	Configs    []ConfigValue          `json:"configs"`
	Partitions []PartitionDescription `json:"partitions"`
	minISR     int
}

// ConfigValue is one config override; Value is nil for sensitive configs.
type ConfigValue struct {
	Name   string  `json:"name"`
	Value  *string `json:"value"`
	Source string  `json:"source"`
}

// PartitionDescription is one partition. Leader is -1 when there is none.
type PartitionDescription struct {
	Partition       int32   `json:"partition"`
	Leader          int32   `json:"leader"`
	Replicas        []int32 `json:"replicas"`
	ISR             []int32 `json:"isr"`
	UnderReplicated bool    `json:"under_replicated"`
	Unavailable     bool    `json:"unavailable"`
	UnderMinISR     bool    `json:"under_min_isr"`
	AtMinISR        bool    `json:"at_min_isr"`
}

func newTopicDescription(t admin.Topic, configs []admin.ConfigEntry, live map[int32]bool) TopicDescription {
	d := TopicDescription{
		Name: t.Name, ID: t.ID, Internal: t.Internal,
		PartitionCount: len(t.Partitions), ReplicationFactor: t.ReplicationFactor(),
		Configs: []ConfigValue{}, minISR: 1,
	}
	for _, c := range configs {
		if c.Name == "min.insync.replicas" && c.Value != nil {
			if n, err := strconv.Atoi(*c.Value); err == nil {
				d.minISR = n
			}
		}
		if !c.IsDefault() {
			d.Configs = append(d.Configs, ConfigValue{Name: c.Name, Value: c.Value, Source: c.Source.String()})
		}
	}
	for _, p := range t.Partitions {
		hasLeader := p.Leader >= 0
		d.Partitions = append(d.Partitions, PartitionDescription{
			Partition: p.ID, Leader: p.Leader, Replicas: nonNil(p.Replicas), ISR: nonNil(p.ISR),
			UnderReplicated: len(p.ISR) < len(p.Replicas),
			Unavailable:     !hasLeader || !live[p.Leader],
			UnderMinISR:     !hasLeader || len(p.ISR) < d.minISR,
			AtMinISR:        len(p.ISR) == d.minISR,
		})
	}
	return d
}

func nonNil(ids []int32) []int32 {
	if ids == nil {
		return []int32{}
	}
	return ids
}

func (p PartitionFilter) validate() error {
	n := 0
	for _, set := range []bool{p.UnderReplicated, p.Unavailable, p.UnderMinISR, p.AtMinISR} {
		if set {
			n++
		}
	}
	if n > 1 || (n == 1 && p.WithOverrides) {
		return clierr.Usagef("use only one of --under-replicated-partitions, --unavailable-partitions, " +
			"--under-min-isr-partitions, --at-min-isr-partitions and --topics-with-overrides")
	}
	return nil
}

func (p PartitionFilter) keeps(d PartitionDescription) bool {
	return !p.reportsPartitions() ||
		p.UnderReplicated && d.UnderReplicated || p.Unavailable && d.Unavailable ||
		p.UnderMinISR && d.UnderMinISR || p.AtMinISR && d.AtMinISR
}

// apply drops what the filter hides: partitions that do not match a
// partition report, topics without overrides for WithOverrides.
func (p PartitionFilter) apply(descs []TopicDescription) []TopicDescription {
	out := make([]TopicDescription, 0, len(descs))
	for _, d := range descs {
		if p.WithOverrides && len(d.Configs) == 0 {
			continue
		}
		kept := []PartitionDescription{}
		for _, part := range d.Partitions {
			if p.keeps(part) {
				kept = append(kept, part)
			}
		}
		if p.reportsPartitions() && len(kept) == 0 {
			continue
		}
		if p.WithOverrides {
			kept = []PartitionDescription{} // Kafka prints topic lines only
		}
		d.Partitions = kept
		out = append(out, d)
	}
	return out
}

// writeKafkaDescribe prints descs exactly as Kafka 3.9's kafka-topics
// --describe does: a topic line unless a partition report is asked for,
// then one line per partition unless --topics-with-overrides.
func writeKafkaDescribe(w io.Writer, descs []TopicDescription, filter PartitionFilter) error {
	var b strings.Builder
	for _, d := range descs {
		if !filter.reportsPartitions() {
			writeTopicLine(&b, d)
		}
		if filter.WithOverrides {
			continue
		}
		for _, p := range d.Partitions {
			writePartitionLine(&b, d.Name, p)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeTopicLine(b *strings.Builder, d TopicDescription) {
	b.WriteString("Topic: " + d.Name)
	if d.ID != "" {
		b.WriteString("\tTopicId: " + d.ID)
	}
	fmt.Fprintf(b, "\tPartitionCount: %d\tReplicationFactor: %d\tConfigs: ", d.PartitionCount, d.ReplicationFactor)
	for i, c := range d.Configs {
		if i > 0 {
			b.WriteByte(',')
		}
		value := "null"
		if c.Value != nil {
			value = *c.Value
		}
		b.WriteString(c.Name + "=" + value)
	}
	b.WriteByte('\n')
}

func writePartitionLine(b *strings.Builder, topic string, p PartitionDescription) {
	leader := "none"
	if p.Leader >= 0 {
		leader = strconv.Itoa(int(p.Leader))
	}
	fmt.Fprintf(b, "\tTopic: %s\tPartition: %d\tLeader: %s\tReplicas: %s\tIsr: %s\n",
		topic, p.Partition, leader, joinIDs(p.Replicas), joinIDs(p.ISR))
}

func joinIDs(ids []int32) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.Itoa(int(id))
	}
	return strings.Join(parts, ",")
}
