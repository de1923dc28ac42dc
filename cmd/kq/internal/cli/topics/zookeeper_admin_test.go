package topics

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/embedded"
	"github.com/kqhq/kq/store/meta/znode"
)

// zkFixture is a memory-only embedded metadata store laid out as brokers
// leave ZooKeeper, with the ZooKeeper-mode admin over a session on it.
type zkFixture struct {
	store meta.Store
	admin *zooKeeperAdmin
	notes *bytes.Buffer
}

// newZKFixture registers live brokers with the given ids.
func newZKFixture(t *testing.T, brokers ...int32) *zkFixture {
	t.Helper()
	srv, err := embedded.New("", embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	s, err := srv.Connect(6 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	fx := &zkFixture{store: s, notes: &bytes.Buffer{}}
	fx.admin = newZooKeeperAdmin(s, fx.notes)
	if err := fx.admin.zk.EnsurePaths(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, id := range brokers {
		reg := znode.BrokerRegistration{ID: id, JMXPort: -1, Endpoints: []znode.Endpoint{
			{Listener: "PLAINTEXT", SecurityProtocol: "PLAINTEXT", Host: "127.0.0.1", Port: 9090 + id},
		}}
		fx.create(t, znode.BrokerPath(id), reg.Encode())
	}
	return fx
}

func (fx *zkFixture) create(t *testing.T, path string, data []byte) {
	t.Helper()
	if _, err := meta.CreateRecursive(context.Background(), fx.store, path, data, meta.Persistent); err != nil {
		t.Fatal(err)
	}
}

// topic creates a topic through the admin under test.
func (fx *zkFixture) topic(t *testing.T, spec admin.TopicSpec) {
	t.Helper()
	if _, err := fx.admin.CreateTopic(context.Background(), spec); err != nil {
		t.Fatal(err)
	}
}

// state writes a partition state as the controller would.
func (fx *zkFixture) state(t *testing.T, topic string, p, leader int32, isr ...int32) {
	t.Helper()
	fx.create(t, znode.PartitionStatePath(topic, p), znode.PartitionState{Leader: leader, LeaderEpoch: 1, ISR: isr, ControllerEpoch: 1}.Encode())
}

func (fx *zkFixture) assignment(t *testing.T, topic string) map[int32][]int32 {
	t.Helper()
	a, err := fx.admin.assignment(context.Background(), topic)
	if err != nil {
		t.Fatal(err)
	}
	return a.Partitions
}

func (fx *zkFixture) exists(t *testing.T, path string) bool {
	t.Helper()
	_, ok, err := fx.store.Exists(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// wantRefusal checks err carries the Kafka error code and the exit code.
func wantRefusal(t *testing.T, err error, code *kerr.Error, exit int) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v (exit %d)", code, exit)
	}
	if code != nil && !errors.Is(err, code) {
		t.Fatalf("err %v, want %v", err, code)
	}
	if got := clierr.Code(err); got != exit {
		t.Fatalf("err %v exits %d, want %d", err, got, exit)
	}
}

func TestZooKeeperCreateWritesTopic(t *testing.T) {
	fx := newZKFixture(t, 1, 2, 3)
	ctx := context.Background()
	created, err := fx.admin.CreateTopic(ctx, admin.TopicSpec{Name: "orders", Partitions: 6, ReplicationFactor: 2,
		Configs: map[string]string{"retention.ms": "1000"}})
	if err != nil {
		t.Fatal(err)
	}
	if created.Name != "orders" || created.Partitions != 6 || created.ReplicationFactor != 2 || len(created.ID) != 22 {
		t.Fatalf("created %+v", created)
	}
	got := fx.assignment(t, "orders")
	leaders := map[int32]int{}
	for p := range int32(6) {
		replicas := got[p]
		if len(replicas) != 2 || replicas[0] == replicas[1] {
			t.Fatalf("partition %d replicas %v", p, replicas)
		}
		leaders[replicas[0]]++
	}
	if len(leaders) != 3 {
		t.Fatalf("preferred leaders %v: want all 3 brokers", leaders)
	}
	cfg, err := fx.admin.zk.EntityConfig(ctx, znode.ConfigTypeTopic, "orders")
	if err != nil || !reflect.DeepEqual(cfg, map[string]string{"retention.ms": "1000"}) {
		t.Fatalf("config %v err %v", cfg, err)
	}
	changes, _, err := fx.store.Children(ctx, znode.ConfigChangesPath)
	if err != nil || len(changes) != 1 {
		t.Fatalf("config change notifications %v err %v: brokers must be told", changes, err)
	}
}

func TestZooKeeperCreateExplicitAndDryRun(t *testing.T) {
	fx := newZKFixture(t, 1, 2, 3)
	ctx := context.Background()
	created, err := fx.admin.CreateTopic(ctx, admin.TopicSpec{Name: "pinned", Partitions: -1, ReplicationFactor: -1,
		Assignment: [][]int32{{3, 1}, {2, 3}}})
	if err != nil || created.Partitions != 2 || created.ReplicationFactor != 2 {
		t.Fatalf("created %+v err %v", created, err)
	}
	if got := fx.assignment(t, "pinned"); !reflect.DeepEqual(got, map[int32][]int32{0: {3, 1}, 1: {2, 3}}) {
		t.Fatalf("assignment %v", got)
	}
	created, err = fx.admin.CreateTopic(ctx, admin.TopicSpec{Name: "dry", Partitions: 4, ReplicationFactor: 3, ValidateOnly: true})
	if err != nil || created.Partitions != 4 || created.ReplicationFactor != 3 || created.ID != "" {
		t.Fatalf("dry run %+v err %v", created, err)
	}
	if fx.exists(t, znode.TopicPath("dry")) || fx.exists(t, znode.ConfigEntityPath("topics", "dry")) {
		t.Fatal("a dry run wrote znodes")
	}
}

func TestZooKeeperCreateRefusals(t *testing.T) {
	counts := func(name string, p int32, rf int16) admin.TopicSpec {
		return admin.TopicSpec{Name: name, Partitions: p, ReplicationFactor: rf}
	}
	assigned := func(a ...[]int32) admin.TopicSpec {
		return admin.TopicSpec{Name: "pinned", Partitions: -1, ReplicationFactor: -1, Assignment: a}
	}
	withConfig := func(k, v string) admin.TopicSpec {
		s := counts("t", 1, 1)
		s.Configs = map[string]string{k: v}
		return s
	}
	tests := []struct {
		name    string
		brokers []int32
		spec    admin.TopicSpec
		code    *kerr.Error
		exit    int
		msg     string
	}{
		{"no partition count", []int32{1}, counts("t", -1, 1), nil, clierr.CodeUsage, "give --partitions and --replication-factor"},
		{"no replication factor", []int32{1}, counts("t", 1, -1), nil, clierr.CodeUsage, "default.replication.factor are not in ZooKeeper"},
		{"illegal name", []int32{1}, counts("a/b", 1, 1), kerr.InvalidTopicException, clierr.CodeUsage, "is illegal"},
		{"internal", []int32{1}, counts("__consumer_offsets", 1, 1), kerr.PolicyViolation, clierr.CodeUsage, "is internal"},
		{"exists", []int32{1}, counts("taken", 1, 1), kerr.TopicAlreadyExists, clierr.CodeFailure, "topic 'taken' already exists"},
		{"marked for deletion", []int32{1}, counts("going", 1, 1), kerr.TopicAlreadyExists, clierr.CodeFailure, "marked for deletion"},
		{"collides", []int32{1}, counts("a.b", 1, 1), kerr.InvalidTopicException, clierr.CodeUsage, "collides with existing topic: a_b"},
		{"rf above live brokers", []int32{1, 2}, counts("t", 1, 3), kerr.InvalidReplicationFactor, clierr.CodeUsage, "larger than available brokers: 2"},
		{"no live broker", nil, counts("t", 1, 1), kerr.InvalidReplicationFactor, clierr.CodeUsage, "larger than available brokers: 0"},
		{"zero partitions", []int32{1}, counts("t", 0, 1), kerr.InvalidPartitions, clierr.CodeUsage, "larger than 0"},
		{"zero rf", []int32{1}, counts("t", 1, 0), kerr.InvalidReplicationFactor, clierr.CodeUsage, "larger than 0"},
		{"too many partitions", []int32{1}, counts("t", 10_001, 1), kerr.PolicyViolation, clierr.CodeUsage, "limit 10000"},
		{"unknown config", []int32{1}, withConfig("bogus", "1"), kerr.InvalidConfig, clierr.CodeUsage, "Unknown topic config name: bogus"},
		{"bad config value", []int32{1}, withConfig("segment.bytes", "zz"), kerr.InvalidConfig, clierr.CodeUsage, "Invalid value zz for configuration segment.bytes"},
		{"unknown broker", []int32{1, 2}, assigned([]int32{1, 9}), kerr.InvalidReplicaAssignment, clierr.CodeUsage, "unknown broker 9"},
		{"duplicate replica", []int32{1, 2}, assigned([]int32{1, 1}), kerr.InvalidReplicaAssignment, clierr.CodeUsage, "duplicate brokers"},
		{"uneven replicas", []int32{1, 2}, assigned([]int32{1, 2}, []int32{2}), kerr.InvalidReplicaAssignment, clierr.CodeUsage, "same number of replicas"},
		{"empty replicas", []int32{1, 2}, assigned([]int32{}), kerr.InvalidReplicaAssignment, clierr.CodeUsage, "has no replicas"},
		{"no partitions assigned", []int32{1}, admin.TopicSpec{Name: "t", Partitions: -1, ReplicationFactor: -1, Assignment: [][]int32{}}, kerr.InvalidReplicaAssignment, clierr.CodeUsage, "lists no partitions"},
		{"assignment and counts", []int32{1}, admin.TopicSpec{Name: "t", Partitions: 1, ReplicationFactor: -1, Assignment: [][]int32{{1}}},
			kerr.InvalidRequest, clierr.CodeUsage, "cannot be used at the same time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newZKFixture(t, tt.brokers...)
			fx.create(t, znode.TopicPath("taken"), znode.TopicAssignment{Partitions: map[int32][]int32{0: {1}}}.Encode())
			fx.create(t, znode.TopicPath("a_b"), znode.TopicAssignment{Partitions: map[int32][]int32{0: {1}}}.Encode())
			fx.create(t, znode.DeleteTopicPath("going"), nil)
			_, err := fx.admin.CreateTopic(context.Background(), tt.spec)
			wantRefusal(t, err, tt.code, tt.exit)
			if !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("message %q lacks %q", err, tt.msg)
			}
			if tt.spec.Name != "taken" && tt.spec.Name != "a_b" && fx.exists(t, znode.TopicPath(tt.spec.Name)) {
				t.Fatal("a refused topic was written")
			}
		})
	}
}

// zkDescribeFixture mirrors describeCluster: "orders" on brokers 1-3 with
// partition 1 down to one in-sync replica and partition 2 without a
// leader; "plain" with one partition; an internal topic.
func zkDescribeFixture(t *testing.T) *zkFixture {
	t.Helper()
	fx := newZKFixture(t, 1, 2, 3)
	fx.topic(t, admin.TopicSpec{Name: "orders", Partitions: -1, ReplicationFactor: -1,
		Assignment: [][]int32{{1, 2}, {2, 3}, {3, 1}}, Configs: map[string]string{"retention.ms": "1000", "min.insync.replicas": "2"}})
	fx.topic(t, admin.TopicSpec{Name: "plain", Partitions: -1, ReplicationFactor: -1, Assignment: [][]int32{{1}}})
	fx.state(t, "orders", 0, 1, 1, 2)
	fx.state(t, "orders", 1, 2, 2)
	fx.state(t, "plain", 0, 1, 1)
	fx.create(t, znode.TopicPath("__consumer_offsets"), znode.TopicAssignment{Partitions: map[int32][]int32{0: {4}}}.Encode())
	return fx
}

func zkTopicID(t *testing.T, fx *zkFixture, name string) string {
	t.Helper()
	a, err := fx.admin.assignment(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return a.TopicID.String()
}

func TestZooKeeperDescribeGolden(t *testing.T) {
	fx := zkDescribeFixture(t)
	orders := "Topic: orders\tTopicId: " + zkTopicID(t, fx, "orders") +
		"\tPartitionCount: 3\tReplicationFactor: 2\tConfigs: min.insync.replicas=2,retention.ms=1000\n"
	plain := "Topic: plain\tTopicId: " + zkTopicID(t, fx, "plain") + "\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: \n"
	p0 := "\tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1,2\tIsr: 1,2\n"
	p1 := "\tTopic: orders\tPartition: 1\tLeader: 2\tReplicas: 2,3\tIsr: 2\n"
	p2 := "\tTopic: orders\tPartition: 2\tLeader: none\tReplicas: 3,1\tIsr: \n"
	plain0 := "\tTopic: plain\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1\n"
	offsets := "Topic: __consumer_offsets\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: \n" +
		"\tTopic: __consumer_offsets\tPartition: 0\tLeader: none\tReplicas: 4\tIsr: \n"
	tests := []struct {
		name string
		opts DescribeOptions
		want string
	}{
		{"all", DescribeOptions{}, offsets + orders + p0 + p1 + p2 + plain + plain0},
		{"exclude internal", DescribeOptions{ExcludeInternal: true}, orders + p0 + p1 + p2 + plain + plain0},
		{"one topic", DescribeOptions{Patterns: []string{"plain"}}, plain + plain0},
		{"under-replicated", DescribeOptions{Filter: PartitionFilter{UnderReplicated: true}, ExcludeInternal: true}, p1 + p2},
		{"unavailable", DescribeOptions{Filter: PartitionFilter{Unavailable: true}, ExcludeInternal: true}, p2},
		{"with overrides", DescribeOptions{Filter: PartitionFilter{WithOverrides: true}}, orders},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			opts := tt.opts
			opts.IO, opts.Output = ios, output.Table
			opts.Admin = func() (topicsAdmin, error) { return fx.admin, nil }
			if err := describeRun(context.Background(), &opts); err != nil {
				t.Fatal(err)
			}
			if out.String() != tt.want {
				t.Fatalf("got\n%s\nwant\n%s", out, tt.want)
			}
		})
	}
}

func TestZooKeeperDescribeMissingAndJSON(t *testing.T) {
	fx := zkDescribeFixture(t)
	ios, _, out, _ := iostreams.Test()
	opts := &DescribeOptions{IO: ios, Output: output.Table, Patterns: []string{"nope"},
		Admin: func() (topicsAdmin, error) { return fx.admin, nil }}
	err := describeRun(context.Background(), opts)
	if clierr.Code(err) != clierr.CodeNotFound || err.Error() != "Topic 'nope' does not exist as expected" {
		t.Fatalf("describe of a missing topic: %v", err)
	}
	topics, err := fx.admin.Topics(context.Background(), "nope", "plain")
	if err != nil || len(topics) != 2 || !errors.Is(topics[0].Err, kerr.UnknownTopicOrPartition) || topics[1].Err != nil {
		t.Fatalf("Topics(nope, plain) = %+v, %v", topics, err)
	}
	opts.Patterns, opts.Output = []string{"plain"}, output.JSON
	if err := describeRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"name": "plain"`, `"leader": 1`, `"partition_count": 1`, `"topic_id": "` + zkTopicID(t, fx, "plain")} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("JSON lacks %s:\n%s", want, out)
		}
	}
}

func TestZooKeeperListAndCluster(t *testing.T) {
	fx := zkDescribeFixture(t)
	ios, _, out, _ := iostreams.Test()
	opts := &ListOptions{IO: ios, Output: output.Table, ExcludeInternal: true,
		Admin: func() (topicsAdmin, error) { return fx.admin, nil }}
	if err := listRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if out.String() != "orders\nplain\n" {
		t.Fatalf("list %q", out)
	}
	cl, err := fx.admin.Cluster(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if cl.Controller != -1 || len(cl.Brokers) != 3 || cl.Brokers[2] != (admin.Broker{ID: 3, Host: "127.0.0.1", Port: 9093}) {
		t.Fatalf("cluster %+v", cl)
	}
	if fx.exists(t, znode.ClusterIDPath) {
		t.Fatal("reading the cluster created /cluster/id")
	}
}

func TestZooKeeperEmptyStore(t *testing.T) {
	srv, err := embedded.New("", embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	s, err := srv.Connect(time.Second)
	if err != nil {
		t.Fatal(err)
	}
	a := newZooKeeperAdmin(s, &bytes.Buffer{})
	topics, err := a.Topics(context.Background())
	if err != nil || len(topics) != 0 {
		t.Fatalf("topics %v err %v on a ZooKeeper no broker has used", topics, err)
	}
	if cl, err := a.Cluster(context.Background()); err != nil || len(cl.Brokers) != 0 || cl.ID != "" {
		t.Fatalf("cluster %+v err %v", cl, err)
	}
}

func TestZooKeeperAddPartitions(t *testing.T) {
	tests := []struct {
		name       string
		topic      string
		total      int32
		assignment [][]int32
		code       *kerr.Error
		exit       int
		want       map[int32][]int32 // partitions after, nil: check placement only
	}{
		{"placed", "t", 4, nil, nil, 0, nil},
		{"explicit", "t", 3, [][]int32{{3, 1}}, nil, 0, map[int32][]int32{0: {1, 2}, 1: {2, 3}, 2: {3, 1}}},
		{"same count", "t", 2, nil, kerr.InvalidPartitions, clierr.CodeUsage, nil},
		{"shrink", "t", 1, nil, kerr.InvalidPartitions, clierr.CodeUsage, nil},
		{"unknown topic", "nope", 3, nil, kerr.UnknownTopicOrPartition, clierr.CodeNotFound, nil},
		{"internal", "__consumer_offsets", 3, nil, kerr.PolicyViolation, clierr.CodeUsage, nil},
		{"too many", "t", 10_003, nil, kerr.PolicyViolation, clierr.CodeUsage, nil},
		{"assignment count", "t", 4, [][]int32{{3, 1}}, kerr.InvalidReplicaAssignment, clierr.CodeUsage, nil},
		{"inconsistent rf", "t", 3, [][]int32{{3}}, kerr.InvalidReplicaAssignment, clierr.CodeUsage, nil},
		{"unknown broker", "t", 3, [][]int32{{3, 7}}, kerr.InvalidReplicaAssignment, clierr.CodeUsage, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newZKFixture(t, 1, 2, 3)
			fx.topic(t, admin.TopicSpec{Name: "t", Partitions: -1, ReplicationFactor: -1, Assignment: [][]int32{{1, 2}, {2, 3}}})
			fx.create(t, znode.TopicPath("__consumer_offsets"), znode.TopicAssignment{Partitions: map[int32][]int32{0: {1}}}.Encode())
			err := fx.admin.AddPartitions(context.Background(), tt.topic, tt.total, tt.assignment)
			if tt.code != nil {
				wantRefusal(t, err, tt.code, tt.exit)
				if got := fx.assignment(t, "t"); len(got) != 2 {
					t.Fatalf("refused, yet the assignment changed: %v", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := fx.assignment(t, "t")
			if tt.want != nil && !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("assignment %v, want %v", got, tt.want)
			}
			checkPlaced(t, got, int(tt.total), 2)
		})
	}
}

// checkPlaced checks every partition exists with rf distinct replicas.
func checkPlaced(t *testing.T, got map[int32][]int32, partitions, rf int) {
	t.Helper()
	if len(got) != partitions {
		t.Fatalf("%d partitions, want %d: %v", len(got), partitions, got)
	}
	for p, replicas := range got {
		sorted := append([]int32(nil), replicas...)
		sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
		if len(replicas) != rf || (rf > 1 && sorted[0] == sorted[1]) {
			t.Fatalf("partition %d replicas %v", p, replicas)
		}
	}
}

func TestZooKeeperDelete(t *testing.T) {
	fx := zkDescribeFixture(t)
	ctx := context.Background()
	if err := fx.admin.DeleteTopics(ctx, "orders"); err != nil {
		t.Fatal(err)
	}
	if !fx.exists(t, znode.DeleteTopicPath("orders")) {
		t.Fatal("orders is not marked for deletion")
	}
	if err := fx.admin.DeleteTopics(ctx, "orders"); err != nil {
		t.Fatal(err)
	}
	if want := "Topic orders is marked for deletion.\nTopic orders is already marked for deletion.\n"; fx.notes.String() != want {
		t.Fatalf("notes %q, want %q", fx.notes, want)
	}
	wantRefusal(t, fx.admin.DeleteTopics(ctx, "__consumer_offsets"), kerr.PolicyViolation, clierr.CodeUsage)
	wantRefusal(t, fx.admin.DeleteTopics(ctx, "nope"), kerr.UnknownTopicOrPartition, clierr.CodeNotFound)
	err := fx.admin.DeleteTopics(ctx, "nope", "plain")
	wantRefusal(t, err, kerr.UnknownTopicOrPartition, clierr.CodeNotFound)
	if !fx.exists(t, znode.DeleteTopicPath("plain")) {
		t.Fatal("one missing topic kept the others from being marked")
	}
	if fx.exists(t, znode.DeleteTopicPath("__consumer_offsets")) {
		t.Fatal("an internal topic was marked for deletion")
	}
}

func TestZooKeeperCreateThroughRun(t *testing.T) {
	fx := newZKFixture(t, 1, 2)
	ios, _, out, errOut := iostreams.Test()
	opts := &CreateOptions{IO: ios, Output: output.Table, Topic: "a.b", Partitions: 2, PartitionsSet: true, ReplicationFactor: 2,
		Admin: func() (topicsAdmin, error) { return fx.admin, nil }}
	if err := createRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if out.String() != "Created topic a.b.\n" || errOut.String() != admin.CollisionWarning+"\n" {
		t.Fatalf("stdout %q stderr %q", out, errOut)
	}
	opts.IfNotExists = true
	if err := createRun(context.Background(), opts); err != nil {
		t.Fatalf("--if-not-exists: %v", err)
	}
	opts.IfNotExists = false
	wantRefusal(t, createRun(context.Background(), opts), kerr.TopicAlreadyExists, clierr.CodeFailure)
}
