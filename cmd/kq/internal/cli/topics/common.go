package topics

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/complete"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/zkconn"
	"github.com/spf13/cobra"
)

// topicsAdmin is what the topics commands need from a cluster.
type topicsAdmin interface {
	Topics(ctx context.Context, names ...string) ([]admin.Topic, error)
	Cluster(ctx context.Context) (admin.Cluster, error)
	CreateTopic(ctx context.Context, spec admin.TopicSpec) (admin.CreatedTopic, error)
	DeleteTopics(ctx context.Context, names ...string) error
	AddPartitions(ctx context.Context, topic string, total int32, assignment [][]int32) error
	DescribeConfigs(ctx context.Context, res admin.Resource) ([]admin.ConfigEntry, error)
}

// adminFrom returns the admin of cmd's invocation, built on first use: the
// brokers' (f.Admin), or ZooKeeper itself when cmd runs with --zookeeper
// or KQ_ZOOKEEPER (see zooKeeperConnect).
func adminFrom(f *factory.Factory, cmd *cobra.Command) func() (topicsAdmin, error) {
	return sync.OnceValues(func() (topicsAdmin, error) {
		connect, err := zooKeeperConnect(cmd, f.Getenv)
		if err != nil {
			return nil, err
		}
		tlsFile, _ := cmd.Flags().GetString(zkconn.FlagName)
		if err := zkconn.RequireConnect(tlsFile, connect); err != nil {
			return nil, err
		}
		if connect != "" {
			return dialZooKeeper(cmd.Context(), f, connect, tlsFile, zooKeeperTimeout)
		}
		a, err := f.Admin()
		if err != nil {
			return nil, err // not a typed nil inside the interface
		}
		return a, nil
	})
}

// selectTopics picks from all topic names the ones the patterns name. A
// pattern that is an existing name selects that topic; otherwise it is a
// regular expression matched against whole names, with ',' meaning '|'
// as in Kafka's --topic. No patterns selects everything.
func selectTopics(all []string, patterns []string, excludeInternal bool) []string {
	var matchers []*regexp.Regexp
	for _, p := range patterns {
		re, err := regexp.Compile("^(?:" + strings.ReplaceAll(p, ",", "|") + ")$")
		if err != nil {
			re = regexp.MustCompile("^" + regexp.QuoteMeta(p) + "$")
		}
		matchers = append(matchers, re)
	}
	var out []string
	for _, name := range all {
		if excludeInternal && admin.IsInternalTopic(name) {
			continue
		}
		if len(matchers) == 0 || matchesAny(name, patterns, matchers) {
			out = append(out, name)
		}
	}
	return out
}

func matchesAny(name string, patterns []string, matchers []*regexp.Regexp) bool {
	for i, re := range matchers {
		if name == patterns[i] || re.MatchString(name) {
			return true
		}
	}
	return false
}

// resolveTopics lists the cluster's topics and selects the patterns'. With
// mustExist, patterns that select nothing are an error exiting 3, worded
// as Kafka's.
func resolveTopics(ctx context.Context, a topicsAdmin, patterns []string, excludeInternal, mustExist bool) ([]string, error) {
	all, err := a.Topics(ctx)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(all))
	for _, t := range all {
		names = append(names, t.Name)
	}
	selected := selectTopics(names, patterns, excludeInternal)
	if mustExist && len(patterns) > 0 && len(selected) == 0 {
		return nil, clierr.NotFoundf("Topic '%s' does not exist as expected", strings.Join(patterns, ","))
	}
	return selected, nil
}

// parseReplicaAssignment reads Kafka's "1:2,2:3" (partition 0 on brokers
// 1 and 2, partition 1 on 2 and 3), with Kafka's checks.
func parseReplicaAssignment(s string) ([][]int32, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out [][]int32
	for i, part := range strings.Split(s, ",") {
		replicas, err := parseBrokerList(part)
		if err != nil {
			return nil, fmt.Errorf("--replica-assignment: partition %d: %w", i, err)
		}
		if len(out) > 0 && len(replicas) != len(out[0]) {
			return nil, fmt.Errorf("--replica-assignment: Partition %d has different replication factor: %v", i, replicas)
		}
		out = append(out, replicas)
	}
	return out, nil
}

func parseBrokerList(s string) ([]int32, error) {
	var ids []int32
	seen := map[int32]bool{}
	for _, field := range strings.Split(s, ":") {
		var id int32
		if _, err := fmt.Sscanf(strings.TrimSpace(field), "%d", &id); err != nil {
			return nil, fmt.Errorf("%q is not a broker id", strings.TrimSpace(field))
		}
		if seen[id] {
			return nil, fmt.Errorf("Partition replica lists may not contain duplicate entries: %d", id)
		}
		seen[id] = true
		ids = append(ids, id)
	}
	return ids, nil
}

// parseTopicConfigs reads repeated --config key=value.
func parseTopicConfigs(pairs []string) (map[string]string, error) {
	if len(pairs) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(pairs))
	for _, pair := range pairs {
		key, value, ok := strings.Cut(pair, "=")
		if !ok || strings.TrimSpace(key) == "" {
			return nil, errors.New(`Invalid topic config: all configs to be added must be in the format "key=val".`)
		}
		out[strings.TrimSpace(key)] = strings.TrimSpace(value)
	}
	return out, nil
}

func completeTopics(f *factory.Factory) complete.Func { return complete.Topics(f) }
