package reassign

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

// Replication throttles as kafka-reassign-partitions.sh sets and clears
// them. --execute --throttle N names, per moving partition, its current
// replicas in the topic's leader.replication.throttled.replicas and its
// new ones in follower.replication.throttled.replicas, and sets
// leader/follower.replication.throttled.rate to N on every broker taking
// part; --verify clears all of them once no partition of the plan is
// still moving (unless --preserve-throttles).

const (
	leaderRate       = "leader.replication.throttled.rate"
	followerRate     = "follower.replication.throttled.rate"
	leaderReplicas   = "leader.replication.throttled.replicas"
	followerReplicas = "follower.replication.throttled.replicas"
	logDirsRate      = "replica.alter.log.dirs.io.max.bytes.per.second"
)

// verifyPeriodically is Kafka's reminder after setting a throttle.
const verifyPeriodically = "Warning: You must run --verify periodically, until the reassignment completes, to ensure the throttle is removed."

// throttleAdmin changes the configs throttles live in (*admin.Client).
type throttleAdmin interface {
	AlterConfigs(ctx context.Context, res admin.Resource, changes []admin.ConfigChange) error
}

func throttleAdminOf(a reassignAdmin) (throttleAdmin, error) {
	ta, ok := a.(throttleAdmin)
	if !ok {
		return nil, errors.New("this cluster client cannot set replication throttles")
	}
	return ta, nil
}

// throttlePlan is what --throttle sets: the throttled replicas per topic
// and the brokers taking part.
type throttlePlan struct {
	leader, follower map[string][]string // topic -> "partition:broker"
	brokers          []int32
}

// planThrottles follows Kafka's calculateLeaderThrottles and
// calculateFollowerThrottles over the partitions that move.
func planThrottles(plan, current []admin.PartitionReplicas) throttlePlan {
	tp := throttlePlan{leader: map[string][]string{}, follower: map[string][]string{}}
	plan = slices.Clone(plan)
	slices.SortFunc(plan, comparePartitions)
	for _, target := range plan {
		i := slices.IndexFunc(current, func(c admin.PartitionReplicas) bool {
			return c.Topic == target.Topic && c.Partition == target.Partition
		})
		if i < 0 || slices.Equal(current[i].Replicas, target.Replicas) {
			continue
		}
		for _, b := range current[i].Replicas {
			tp.leader[target.Topic] = append(tp.leader[target.Topic], replicaEntry(target.Partition, b))
			tp.addBroker(b)
		}
		for _, b := range target.Replicas {
			if !slices.Contains(current[i].Replicas, b) {
				tp.follower[target.Topic] = append(tp.follower[target.Topic], replicaEntry(target.Partition, b))
				tp.addBroker(b)
			}
		}
	}
	slices.Sort(tp.brokers)
	return tp
}

func replicaEntry(partition, broker int32) string {
	return strconv.Itoa(int(partition)) + ":" + strconv.Itoa(int(broker))
}

func (tp *throttlePlan) addBroker(b int32) {
	if !slices.Contains(tp.brokers, b) {
		tp.brokers = append(tp.brokers, b)
	}
}

// setThrottles writes the topic and broker throttles before the moves
// start, as Kafka's executeAssignment does.
func setThrottles(ctx context.Context, opts *Options, a reassignAdmin, current []admin.PartitionReplicas) error {
	if opts.Throttle < 0 {
		return nil
	}
	ta, err := throttleAdminOf(a)
	if err != nil {
		return err
	}
	w := opts.IO.Out
	if opts.Output == output.JSON || opts.Output == output.YAML {
		w = opts.IO.ErrOut // keep stdout one document
	}
	fmt.Fprintln(w, verifyPeriodically)
	tp := planThrottles(opts.Plan, current)
	for _, topic := range sortedKeys(tp.leader, tp.follower) {
		var changes []admin.ConfigChange
		if l := tp.leader[topic]; len(l) > 0 {
			changes = append(changes, admin.ConfigChange{Name: leaderReplicas, Op: admin.OpSet, Value: strings.Join(l, ",")})
		}
		if f := tp.follower[topic]; len(f) > 0 {
			changes = append(changes, admin.ConfigChange{Name: followerReplicas, Op: admin.OpSet, Value: strings.Join(f, ",")})
		}
		if err := ta.AlterConfigs(ctx, admin.Resource{Type: admin.TopicResource, Name: topic}, changes); err != nil {
			return fmt.Errorf("set the throttled replicas of topic %s: %w", topic, err)
		}
	}
	rate := strconv.FormatInt(opts.Throttle, 10)
	for _, b := range tp.brokers {
		res := admin.Resource{Type: admin.BrokerResource, Name: strconv.Itoa(int(b))}
		if err := ta.AlterConfigs(ctx, res, []admin.ConfigChange{
			{Name: leaderRate, Op: admin.OpSet, Value: rate}, {Name: followerRate, Op: admin.OpSet, Value: rate},
		}); err != nil {
			return fmt.Errorf("set the replication throttle of broker %d: %w", b, err)
		}
	}
	fmt.Fprintf(w, "The inter-broker throttle limit was set to %d B/s\n", opts.Throttle)
	return nil
}

// clearThrottles removes every broker's throttle rates and the plan's
// topics' throttled replicas (Kafka's clearAllThrottles).
func clearThrottles(ctx context.Context, opts *Options, a reassignAdmin, w io.Writer) error {
	ta, err := throttleAdminOf(a)
	if err != nil {
		return err
	}
	cluster, err := a.Cluster(ctx)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(cluster.Brokers))
	for _, b := range cluster.Brokers {
		ids = append(ids, strconv.Itoa(int(b.ID)))
	}
	sort.Slice(ids, func(i, j int) bool { return len(ids[i]) < len(ids[j]) || len(ids[i]) == len(ids[j]) && ids[i] < ids[j] })
	fmt.Fprintf(w, "Clearing broker-level throttles on broker%s %s\n", pluralS(len(ids)), strings.Join(ids, ","))
	for _, id := range ids {
		if err := ta.AlterConfigs(ctx, admin.Resource{Type: admin.BrokerResource, Name: id}, deleteAll(leaderRate, followerRate, logDirsRate)); err != nil {
			return fmt.Errorf("clear the replication throttle of broker %s: %w", id, err)
		}
	}
	topics := slices.Sorted(func(yield func(string) bool) {
		for t := range partitionsOf(opts.Plan) {
			if !yield(t) {
				return
			}
		}
	})
	fmt.Fprintf(w, "Clearing topic-level throttles on topic%s %s\n", pluralS(len(topics)), strings.Join(topics, ","))
	for _, t := range topics {
		if err := ta.AlterConfigs(ctx, admin.Resource{Type: admin.TopicResource, Name: t}, deleteAll(leaderReplicas, followerReplicas)); err != nil {
			return fmt.Errorf("clear the throttled replicas of topic %s: %w", t, err)
		}
	}
	return nil
}

func deleteAll(names ...string) []admin.ConfigChange {
	out := make([]admin.ConfigChange, len(names))
	for i, n := range names {
		out[i] = admin.ConfigChange{Name: n, Op: admin.OpDelete}
	}
	return out
}

func pluralS(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func sortedKeys(maps ...map[string][]string) []string {
	var out []string
	for _, m := range maps {
		for k := range m {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	slices.Sort(out)
	return out
}
