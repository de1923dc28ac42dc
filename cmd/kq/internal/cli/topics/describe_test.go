package topics

import (
	"context"
	"strings"
	"testing"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clitest"
)

// describeCluster has "orders" (3 partitions on 3 brokers, RF 2, one
// override, partition 1 down to one in-sync replica, partition 2 without a
// leader) and "plain" (1 partition, defaults).
func describeCluster(t *testing.T) *admintest.Cluster {
	t.Helper()
	ctx := context.Background()
	c := admintest.NewCluster(1, 2, 3)
	if _, err := c.CreateTopic(ctx, admin.TopicSpec{Name: "orders", Partitions: 3, ReplicationFactor: 2,
		Configs: map[string]string{"retention.ms": "1000", "min.insync.replicas": "2"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateTopic(ctx, admin.TopicSpec{Name: "plain", Partitions: 1, ReplicationFactor: 1}); err != nil {
		t.Fatal(err)
	}
	c.SetISR("orders", 1, 2)
	c.SetISR("orders", 2)
	return c
}

func TestDescribeGolden(t *testing.T) {
	orders := "Topic: orders\tTopicId: " + admintest.TopicID("orders") +
		"\tPartitionCount: 3\tReplicationFactor: 2\tConfigs: min.insync.replicas=2,retention.ms=1000\n"
	plain := "Topic: plain\tTopicId: " + admintest.TopicID("plain") + "\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: \n"
	p0 := "\tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1,2\tIsr: 1,2\n"
	p1 := "\tTopic: orders\tPartition: 1\tLeader: 2\tReplicas: 2,3\tIsr: 2\n"
	p2 := "\tTopic: orders\tPartition: 2\tLeader: none\tReplicas: 3,1\tIsr: \n"
	plain0 := "\tTopic: plain\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1\n"
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"all", []string{"--describe"}, orders + p0 + p1 + p2 + plain + plain0},
		{"one topic", []string{"describe", "plain"}, plain + plain0},
		{"under-replicated", []string{"--describe", "--under-replicated-partitions"}, p1 + p2},
		{"unavailable", []string{"--describe", "--unavailable-partitions"}, p2},
		{"under min isr", []string{"--describe", "--under-min-isr-partitions"}, p1 + p2},
		{"at min isr", []string{"--describe", "--at-min-isr-partitions"}, p0 + plain0},
		{"with overrides", []string{"--describe", "--topics-with-overrides"}, orders},
		{"regex", []string{"--describe", "--topic", "pla.*"}, plain + plain0},
		{"if-exists, nothing", []string{"describe", "nope", "--if-exists"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := clitest.New(describeCluster(t))
			if err := execute(NewCmdTopics(env.Factory, nil), tt.args...); err != nil {
				t.Fatal(err)
			}
			if got := env.Out.String(); got != tt.want {
				t.Fatalf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestDescribeMissingTopic(t *testing.T) {
	env := clitest.New(describeCluster(t))
	err := execute(NewCmdTopics(env.Factory, nil), "--describe", "--topic", "nope")
	if clierr.Code(err) != clierr.CodeNotFound || !strings.Contains(err.Error(), "Topic 'nope' does not exist as expected") {
		t.Fatalf("got %v", err)
	}
}

func TestDescribeJSON(t *testing.T) {
	env := clitest.New(describeCluster(t))
	env.Opts.Output = "json"
	if err := execute(NewCmdTopics(env.Factory, nil), "describe", "plain"); err != nil {
		t.Fatal(err)
	}
	want := `[
  {
    "name": "plain",
    "topic_id": "` + admintest.TopicID("plain") + `",
    "internal": false,
    "partition_count": 1,
    "replication_factor": 1,
    "configs": [],
    "partitions": [
      {
        "partition": 0,
        "leader": 1,
        "replicas": [
          1
        ],
        "isr": [
          1
        ],
        "under_replicated": false,
        "unavailable": false,
        "under_min_isr": false,
        "at_min_isr": true
      }
    ]
  }
]
`
	if got := env.Out.String(); got != want {
		t.Fatalf("got:\n%s", got)
	}
}

func TestDescribeYAML(t *testing.T) {
	env := clitest.New(describeCluster(t))
	env.Opts.Output = "yaml"
	if err := execute(NewCmdTopics(env.Factory, nil), "--describe", "--topic", "orders", "--topics-with-overrides"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"- name: orders\n", "  configs:\n    - name: min.insync.replicas\n      value: \"2\"\n      source: DYNAMIC_TOPIC_CONFIG\n"} {
		if !strings.Contains(env.Out.String(), want) {
			t.Fatalf("missing %q in:\n%s", want, env.Out.String())
		}
	}
}
