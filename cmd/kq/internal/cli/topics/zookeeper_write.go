package topics

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/daemon/config"
	"github.com/kqhq/kq/daemon/kafkazk"
	"github.com/kqhq/kq/daemon/placement"
	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/znode"
)

// maxNewPartitions is the broker's limit on the partitions one request may
// create (Kafka's MAX_PARTITIONS_PER_BATCH); ZooKeeper mode keeps it so it
// refuses what a broker refuses.
const maxNewPartitions = 10_000

// kafkaRefusal is an operation turned down before anything is written,
// with the Kafka error a broker would answer (errors.Is matches it) and
// the broker's message.
type kafkaRefusal struct {
	code *kerr.Error
	msg  string
}

func (e *kafkaRefusal) Error() string { return e.msg }
func (e *kafkaRefusal) Unwrap() error { return e.code }

func refusal(code *kerr.Error, format string, args ...any) error {
	return &kafkaRefusal{code: code, msg: fmt.Sprintf(format, args...)}
}

// refuse is a refusal of bad input: it exits 2 (a refusal for the state of
// the cluster, such as an existing topic, exits as the broker's would).
func refuse(code *kerr.Error, format string, args ...any) error {
	return clierr.Usage(refusal(code, format, args...))
}

// CreateTopic checks spec as the broker's CreateTopics does, in the same
// order and with the same messages, then writes the config and assignment
// znodes (unless ValidateOnly). It does not wait for leaders: the
// controller elects them, as after Kafka's kafka-topics --zookeeper.
func (z *zooKeeperAdmin) CreateTopic(ctx context.Context, spec admin.TopicSpec) (admin.CreatedTopic, error) {
	assignment, err := z.checkCreate(ctx, spec)
	if err != nil {
		return admin.CreatedTopic{}, fmt.Errorf("create topic %s: %w", spec.Name, err)
	}
	created := admin.CreatedTopic{
		Name: spec.Name, Partitions: int32(len(assignment)), ReplicationFactor: int16(len(assignment[0])),
	}
	if spec.ValidateOnly {
		return created, nil
	}
	id, err := z.zk.CreateTopic(ctx, kafkazk.TopicSpec{Name: spec.Name, Assignment: assignment, Configs: spec.Configs})
	if err != nil {
		return admin.CreatedTopic{}, fmt.Errorf("create topic %s: %w", spec.Name, err)
	}
	created.ID = znode.TopicID(id).String()
	return created, nil
}

// checkCreate validates spec and returns the replica assignment to write.
func (z *zooKeeperAdmin) checkCreate(ctx context.Context, spec admin.TopicSpec) (map[int32][]int32, error) {
	if err := checkCounts(spec); err != nil {
		return nil, err
	}
	if err := z.checkNewName(ctx, spec.Name); err != nil {
		return nil, err
	}
	if err := config.ValidateTopicConfigs(spec.Configs); err != nil {
		return nil, refuse(kerr.InvalidConfig, "%v", err)
	}
	live, err := z.liveBrokers(ctx)
	if err != nil {
		return nil, err
	}
	if spec.Assignment != nil {
		return explicitAssignment(spec.Assignment, live)
	}
	out, err := placement.Assign(placement.Request{
		Brokers: placementBrokers(live), Partitions: spec.Partitions, ReplicationFactor: spec.ReplicationFactor, StartIndex: -1,
	})
	return out, placementRefusal(err)
}

// checkCounts refuses what ZooKeeper mode cannot resolve (the brokers'
// num.partitions and default.replication.factor are in their files, not in
// ZooKeeper: Kafka's tool requires both counts with --zookeeper too) and
// what the broker refuses outright.
func checkCounts(spec admin.TopicSpec) error {
	n := int64(len(spec.Assignment))
	if spec.Assignment == nil {
		if spec.Partitions == admin.BrokerDefault || spec.ReplicationFactor == admin.BrokerDefault {
			return clierr.Usagef("with --zookeeper, give --partitions and --replication-factor (or --replica-assignment): " +
				"the brokers' num.partitions and default.replication.factor are not in ZooKeeper")
		}
		n = int64(spec.Partitions)
	} else if spec.Partitions != admin.BrokerDefault || spec.ReplicationFactor != admin.BrokerDefault {
		return refuse(kerr.InvalidRequest, "both numPartitions or replicationFactor and replicasAssignments were set, both cannot be used at the same time")
	}
	if n > maxNewPartitions {
		return refuse(kerr.PolicyViolation, "excessively large number of partitions per request (limit %d)", maxNewPartitions)
	}
	return nil
}

// checkNewName applies the broker's name rules: legal, not internal, not
// taken (nor queued for deletion), not colliding with an existing name
// once '.' and '_' are unified.
func (z *zooKeeperAdmin) checkNewName(ctx context.Context, name string) error {
	if err := placement.ValidateTopicName(name); err != nil {
		return refuse(kerr.InvalidTopicException, "%v", err)
	}
	if placement.IsInternalTopic(name) {
		return refuse(kerr.PolicyViolation, "topic %s is internal and created by the broker itself", name)
	}
	names, err := z.topicNames(ctx)
	if err != nil {
		return err
	}
	for _, other := range names {
		if other == name {
			return refusal(kerr.TopicAlreadyExists, "topic '%s' already exists", name)
		}
	}
	if _, marked, err := z.store.Exists(ctx, znode.DeleteTopicPath(name)); err != nil || marked {
		if err != nil {
			return fmt.Errorf("read %s: %w", znode.DeleteTopicPath(name), err)
		}
		return refusal(kerr.TopicAlreadyExists, "topic '%s' is marked for deletion", name)
	}
	return checkCollision(name, names)
}

func checkCollision(name string, existing []string) error {
	if !placement.HasCollisionChars(name) {
		return nil
	}
	for _, other := range existing {
		if placement.UnifyCollisionChars(other) == placement.UnifyCollisionChars(name) {
			return refuse(kerr.InvalidTopicException, "topic '%s' collides with existing topic: %s", name, other)
		}
	}
	return nil
}

// explicitAssignment checks a --replica-assignment (partition i at index
// i) against the live brokers, with the broker's messages.
func explicitAssignment(partitions [][]int32, live []admin.Broker) (map[int32][]int32, error) {
	out := make(map[int32][]int32, len(partitions))
	for i, replicas := range partitions {
		if err := validReplicas(replicas, int32(i), live); err != nil {
			return nil, err
		}
		if len(replicas) != len(partitions[0]) {
			return nil, refuse(kerr.InvalidReplicaAssignment, "all partitions should have the same number of replicas")
		}
		out[int32(i)] = replicas
	}
	if len(out) == 0 {
		return nil, refuse(kerr.InvalidReplicaAssignment, "the replica assignment lists no partitions")
	}
	return out, nil
}

func validReplicas(replicas []int32, partition int32, live []admin.Broker) error {
	if len(replicas) == 0 {
		return refuse(kerr.InvalidReplicaAssignment, "partition %d has no replicas", partition)
	}
	seen := map[int32]bool{}
	for _, r := range replicas {
		if seen[r] {
			return refuse(kerr.InvalidReplicaAssignment, "duplicate brokers not allowed in replica assignment: %v for partition %d", replicas, partition)
		}
		seen[r] = true
		if !isLive(r, live) {
			return refuse(kerr.InvalidReplicaAssignment, "unknown broker %d in replica assignment of partition %d", r, partition)
		}
	}
	return nil
}

func isLive(id int32, live []admin.Broker) bool {
	for _, b := range live {
		if b.ID == id {
			return true
		}
	}
	return false
}

func placementBrokers(live []admin.Broker) []placement.Broker {
	out := make([]placement.Broker, len(live))
	for i, b := range live {
		out[i] = placement.Broker{ID: b.ID, Rack: b.Rack}
	}
	return out
}

// placementRefusal gives placement's errors the broker's codes.
func placementRefusal(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, placement.ErrInvalidPartitions):
		return refuse(kerr.InvalidPartitions, "%v", err)
	case errors.Is(err, placement.ErrInvalidReplicationFactor):
		return refuse(kerr.InvalidReplicationFactor, "%v", err)
	}
	return err
}

// AddPartitions grows topic to total partitions as the broker's
// CreatePartitions does: the given replicas for the new partitions, or
// Kafka's placement continuing the topic's layout.
func (z *zooKeeperAdmin) AddPartitions(ctx context.Context, topic string, total int32, assignment [][]int32) error {
	add, err := z.checkAddPartitions(ctx, topic, total, assignment)
	if err == nil {
		err = z.zk.AddPartitions(ctx, topic, add)
	}
	if err != nil {
		return fmt.Errorf("add partitions to %s: %w", topic, err)
	}
	return nil
}

func (z *zooKeeperAdmin) checkAddPartitions(ctx context.Context, topic string, total int32, assignment [][]int32) (map[int32][]int32, error) {
	a, err := z.assignment(ctx, topic)
	if errors.Is(err, meta.ErrNoNode) {
		return nil, refusal(kerr.UnknownTopicOrPartition, "the topic '%s' does not exist", topic)
	}
	if err != nil {
		return nil, err
	}
	current := int32(len(a.Partitions))
	switch {
	case placement.IsInternalTopic(topic):
		return nil, refuse(kerr.PolicyViolation, "cannot add partitions to internal topic %s", topic)
	case total == current:
		return nil, refuse(kerr.InvalidPartitions, "topic already has %d partitions", current)
	case total < current:
		return nil, refuse(kerr.InvalidPartitions, "topic currently has %d partitions, which is higher than the requested %d", current, total)
	case int64(total)-int64(current) > maxNewPartitions:
		return nil, refuse(kerr.PolicyViolation, "excessively large number of partitions per request (limit %d)", maxNewPartitions)
	}
	first, ok := a.Partitions[0]
	if !ok || len(first) == 0 {
		return nil, fmt.Errorf("%s: partition 0 has no replicas", znode.TopicPath(topic))
	}
	live, err := z.liveBrokers(ctx)
	if err != nil {
		return nil, err
	}
	if assignment != nil {
		return addedAssignment(assignment, current, total, len(first), live)
	}
	brokers := placementBrokers(live)
	out, err := placement.Assign(placement.Request{
		Brokers: brokers, Partitions: total - current, ReplicationFactor: int16(len(first)),
		FirstPartition: current, StartIndex: brokerIndex(brokers, first[0]),
	})
	return out, placementRefusal(err)
}

// addedAssignment checks the replicas given for the new partitions.
func addedAssignment(assignment [][]int32, current, total int32, rf int, live []admin.Broker) (map[int32][]int32, error) {
	if int32(len(assignment)) != total-current {
		return nil, refuse(kerr.InvalidReplicaAssignment, "increasing the number of partitions by %d but %d assignments provided", total-current, len(assignment))
	}
	out := map[int32][]int32{}
	for i, replicas := range assignment {
		p := current + int32(i)
		if err := validReplicas(replicas, p, live); err != nil {
			return nil, err
		}
		if len(replicas) != rf {
			return nil, refuse(kerr.InvalidReplicaAssignment, "inconsistent replication factor between partitions, partition 0 has %d while partition %d has replicas %v", rf, p, replicas)
		}
		out[p] = replicas
	}
	return out, nil
}

// brokerIndex is the position of a broker in the sorted live list, which
// Kafka uses as the start index when adding partitions; -1 (a random
// start) when it is gone.
func brokerIndex(brokers []placement.Broker, id int32) int {
	for i, b := range brokers {
		if b.ID == id {
			return i
		}
	}
	return -1
}

// DeleteTopics marks each topic for deletion (/admin/delete_topics/<t>), as
// Kafka's kafka-topics --zookeeper, and returns: the controller deletes
// it. Every topic's failure is reported, joined into one error.
func (z *zooKeeperAdmin) DeleteTopics(ctx context.Context, names ...string) error {
	var errs []error
	for _, name := range names {
		if err := z.deleteTopic(ctx, name); err != nil {
			errs = append(errs, fmt.Errorf("delete topic %s: %w", name, err))
		}
	}
	return errors.Join(errs...)
}

func (z *zooKeeperAdmin) deleteTopic(ctx context.Context, name string) error {
	if placement.IsInternalTopic(name) {
		return refuse(kerr.PolicyViolation, "internal topic %s cannot be deleted", name)
	}
	if _, ok, err := z.store.Exists(ctx, znode.TopicPath(name)); err != nil || !ok {
		if err != nil {
			return fmt.Errorf("read %s: %w", znode.TopicPath(name), err)
		}
		return refusal(kerr.UnknownTopicOrPartition, "the topic '%s' does not exist", name)
	}
	if _, marked, err := z.store.Exists(ctx, znode.DeleteTopicPath(name)); err != nil || marked {
		if err == nil {
			fmt.Fprintf(z.notes, "Topic %s is already marked for deletion.\n", name)
		}
		return err
	}
	if err := z.zk.DeleteTopic(ctx, name); err != nil {
		return err
	}
	fmt.Fprintf(z.notes, "Topic %s is marked for deletion.\n", name)
	return nil
}

// AlterTopicConfigs sets and removes a topic's dynamic configs in
// /config/topics/<topic> and notifies the brokers, as the old kafka-topics
// --zookeeper --alter --config did; the values are checked as the broker
// checks them.
func (z *zooKeeperAdmin) AlterTopicConfigs(ctx context.Context, topic string, set map[string]string, remove []string) error {
	if err := config.ValidateTopicConfigs(set); err != nil {
		return refusal(kerr.InvalidConfig, "%v", err)
	}
	current, err := z.zk.EntityConfig(ctx, "topics", topic)
	if err != nil {
		return err
	}
	for _, k := range remove {
		if _, ok := current[k]; !ok {
			return refusal(kerr.InvalidConfig, "invalid config(s): %s", k)
		}
		delete(current, k)
	}
	maps.Copy(current, set)
	return z.zk.SetEntityConfig(ctx, "topics", topic, current)
}
