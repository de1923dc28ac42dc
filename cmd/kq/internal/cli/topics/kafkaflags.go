package topics

import (
	"context"
	"fmt"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/daemon/placement"
	"github.com/spf13/cobra"
)

// registerKafkaExtras adds kafka-topics' --topic-id and
// --disable-rack-aware.
func (k *kafkaFlags) registerKafkaExtras(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&k.topicID, "topic-id", "", "With --describe: the topic with this `id` (as --describe prints it) instead of --topic")
	fl.BoolVar(&k.disableRackAware, "disable-rack-aware", false, "With --create: place replicas ignoring the brokers' racks")
}

// topicByID returns the name of the topic whose id is id, as Kafka's
// --describe --topic-id finds it; an unknown id is UNKNOWN_TOPIC_ID.
func topicByID(ctx context.Context, a topicsAdmin, id string) (string, error) {
	topics, err := a.Topics(ctx)
	if err != nil {
		return "", err
	}
	for _, t := range topics {
		if t.ID == id {
			return t.Name, nil
		}
	}
	return "", clierr.NotFoundf("Topic id %s does not exist (UNKNOWN_TOPIC_ID)", id)
}

// rackUnawareAssignment is --disable-rack-aware: Kafka's replica placement
// over the live brokers with their racks ignored, sent to the broker as an
// explicit assignment (the broker would otherwise place by rack).
func rackUnawareAssignment(ctx context.Context, a topicsAdmin, partitions int32, rf int16) ([][]int32, error) {
	if partitions == admin.BrokerDefault || rf == admin.BrokerDefault {
		return nil, clierr.Usagef("--disable-rack-aware needs --partitions and --replication-factor: kq places the replicas itself")
	}
	cluster, err := a.Cluster(ctx)
	if err != nil {
		return nil, err
	}
	brokers := make([]placement.Broker, len(cluster.Brokers))
	for i, b := range cluster.Brokers {
		brokers[i] = placement.Broker{ID: b.ID} // no rack: rack-unaware placement
	}
	byPartition, err := placement.Assign(placement.Request{Brokers: brokers, Partitions: partitions, ReplicationFactor: rf, StartIndex: -1})
	if err := placementRefusal(err); err != nil {
		return nil, fmt.Errorf("--disable-rack-aware: %w", err)
	}
	out := make([][]int32, partitions)
	for p := range out {
		out[p] = byPartition[int32(p)]
	}
	return out, nil
}
