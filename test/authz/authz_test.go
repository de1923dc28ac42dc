package authz

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/zkstore"
	"github.com/kqhq/kq/store/meta/zktest"
	"github.com/kqhq/kq/test/harness"
)

const anonymous = "User:ANONYMOUS"

// startSecured starts ZooKeeper and one broker checking ACLs, denying
// what no ACL allows; nobody is a super user.
func startSecured(t *testing.T) (*harness.Broker, string) {
	zk := zktest.Start(t)
	connect := zk.ConnectString(zk.Chroot(t))
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Zookeeper: connect, Props: map[string]string{
		"authorizer.class.name":            "kafka.security.authorizer.AclAuthorizer",
		"allow.everyone.if.no.acl.found":   "false",
		"super.users":                      "User:admin",
		"offsets.topic.replication.factor": "1",
	}})
	return b, connect
}

func kq(t *testing.T, args ...string) harness.Result {
	t.Helper()
	return harness.KQ(t, nil, args...)
}

func mustKQ(t *testing.T, args ...string) string {
	t.Helper()
	res := kq(t, args...)
	if res.Code != 0 {
		t.Fatalf("kq %s: exit %d\nstderr: %s", strings.Join(args, " "), res.Code, res.Stderr)
	}
	return res.Stdout
}

// TestDenyByDefaultThenGrant: with no ACL an anonymous client may do
// nothing; ACLs bootstrapped through ZooKeeper reach the running broker,
// and from then on the broker's own ACL APIs manage the rest.
func TestDenyByDefaultThenGrant(t *testing.T) {
	b, connect := startSecured(t)
	if res := kq(t, "--bootstrap-server", b.Addr, "topics", "--create", "--topic", "t", "--partitions", "1", "--replication-factor", "1"); res.Code == 0 ||
		!strings.Contains(strings.ToLower(res.Stderr), "authorization") {
		t.Fatalf("create without ACLs: exit %d, stderr %s", res.Code, res.Stderr)
	}
	if res := kq(t, "--bootstrap-server", b.Addr, "acls", "--list"); res.Code == 0 {
		t.Fatalf("acls --list without Describe on the cluster: exit 0, stdout %s", res.Stdout)
	}

	// Bootstrap: Alter and Describe on the cluster, written to ZooKeeper.
	out := mustKQ(t, "acls", "--authorizer-properties", "zookeeper.connect="+connect, "--add",
		"--allow-principal", anonymous, "--operation", "Alter", "--operation", "Describe", "--operation", "Create", "--cluster")
	if !strings.Contains(out, "Current ACLs for resource `ResourcePattern(resourceType=CLUSTER, name=kafka-cluster, patternType=LITERAL)`") {
		t.Fatalf("zookeeper add output:\n%s", out)
	}
	harness.Eventually(t, 10*time.Second, "the broker applies the ZooKeeper ACLs", func() error {
		if res := kq(t, "--bootstrap-server", b.Addr, "acls", "--list"); res.Code != 0 {
			return fmt.Errorf("exit %d: %s", res.Code, res.Stderr)
		}
		return nil
	})

	mustKQ(t, "--bootstrap-server", b.Addr, "topics", "--create", "--topic", "t", "--partitions", "1", "--replication-factor", "1")
	mustKQ(t, "--bootstrap-server", b.Addr, "acls", "--add", "--allow-principal", anonymous, "--producer", "--topic", "t")
	mustKQ(t, "--bootstrap-server", b.Addr, "acls", "--add", "--allow-principal", anonymous, "--consumer", "--topic", "t", "--group", "g")

	kcatProduce(t, b, "t", "hello\n")
	got := harness.Kcat(t, nil, "-b", b.Addr, "-C", "-t", "t", "-o", "beginning", "-e", "-q")
	if got.Code != 0 || !strings.Contains(got.Stdout, "hello") {
		t.Fatalf("kcat consume: exit %d\nstdout %s\nstderr %s", got.Code, got.Stdout, got.Stderr)
	}

	// Deny beats Allow: a Deny on Read takes the topic away from the consumer.
	mustKQ(t, "--bootstrap-server", b.Addr, "acls", "--add", "--deny-principal", anonymous, "--operation", "Read", "--topic", "t")
	assertFetchRefused(t, b, "t")
}

// assertFetchRefused polls topic with franz-go until the broker's
// TOPIC_AUTHORIZATION_FAILED comes back, and fails if a record does.
func assertFetchRefused(t *testing.T, b *harness.Broker, topic string) {
	t.Helper()
	cl := b.Client(kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		fs := cl.PollFetches(ctx)
		if n := fs.NumRecords(); n > 0 {
			t.Fatalf("read %d records after the Deny", n)
		}
		for _, e := range fs.Errors() {
			if errors.Is(e.Err, kerr.TopicAuthorizationFailed) {
				return
			}
		}
	}
	t.Fatal("no TOPIC_AUTHORIZATION_FAILED within 20s")
}

func kcatProduce(t *testing.T, b *harness.Broker, topic, lines string) {
	t.Helper()
	res := harness.Kcat(t, strings.NewReader(lines), "-b", b.Addr, "-P", "-t", topic)
	if res.Code != 0 {
		t.Fatalf("kcat produce: exit %d\nstderr %s", res.Code, res.Stderr)
	}
}

// TestKadmACLsAndHiddenTopics: kadm creates, describes and deletes ACLs;
// Metadata lists only the topics the principal may Describe; a malformed
// ACL znode is ignored and never grants.
func TestKadmACLsAndHiddenTopics(t *testing.T) {
	b, connect := startSecured(t)
	mustKQ(t, "acls", "--zookeeper", connect, "--add", "--allow-principal", anonymous, "--operation", "All", "--cluster")
	adm := b.Admin()
	defer adm.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	harness.Eventually(t, 10*time.Second, "the cluster ACL applied", func() error {
		_, err := adm.DescribeACLs(ctx, kadm.NewACLs().AnyResource().Allow().AllowHosts().Operations(kadm.OpAny))
		return err
	})
	for _, name := range []string{"visible", "hidden"} {
		if _, err := adm.CreateTopic(ctx, 1, 1, nil, name); err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
	}
	// Describe on "visible" only; the cluster grant covers no topic.
	acl := kadm.NewACLs().Allow(anonymous).AllowHosts("*").Topics("visible").ResourcePatternType(kadm.ACLPatternLiteral).Operations(kadm.OpDescribe)
	created, err := adm.CreateACLs(ctx, acl)
	if err != nil || created[0].Err != nil {
		t.Fatalf("kadm CreateACLs: %v %+v", err, created)
	}
	described, err := adm.DescribeACLs(ctx, kadm.NewACLs().AnyResource().Allow().AllowHosts().Operations(kadm.OpAny).ResourcePatternType(kadm.ACLPatternAny))
	if err != nil || len(described) != 1 || len(described[0].Described) != 2 {
		t.Fatalf("kadm DescribeACLs: %v %+v", err, described)
	}
	topics, err := adm.ListTopics(ctx)
	if err != nil || len(topics) != 1 || !topics.Has("visible") {
		t.Fatalf("topics listed: %v %v", err, topics.Names())
	}

	// A malformed znode that would grant Describe on "hidden" if read.
	zs, err := zkstore.Connect(ctx, connect, 10*time.Second, 10*time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer zs.Close()
	if _, err := meta.CreateRecursive(ctx, zs, "/kafka-acl/Topic/hidden", []byte(`{"version":1,"acls":[{"principal":"User:ANONYMOUS","operation":"Describe"}]}`), meta.Persistent); err != nil {
		t.Fatal(err)
	}
	if _, err := zs.Create(ctx, "/kafka-acl-changes/acl_changes_", []byte("Topic:hidden"), meta.PersistentSequential); err != nil {
		t.Fatal(err)
	}
	harness.Eventually(t, 10*time.Second, "the broker logs the malformed node", func() error {
		if !strings.Contains(b.Logs(), "ignoring malformed ACL node") {
			return fmt.Errorf("not logged yet")
		}
		return nil
	})
	if topics, err := adm.ListTopics(ctx); err != nil || topics.Has("hidden") {
		t.Fatalf("after the malformed ACL: %v %v", err, topics.Names())
	}

	deleted, err := adm.DeleteACLs(ctx, kadm.NewACLs().Allow(anonymous).AllowHosts().Topics("visible").ResourcePatternType(kadm.ACLPatternLiteral).Operations(kadm.OpAny))
	if err != nil || len(deleted) != 1 || len(deleted[0].Deleted) != 1 {
		t.Fatalf("kadm DeleteACLs: %v %+v", err, deleted)
	}
	harness.Eventually(t, 10*time.Second, "visible hidden again", func() error {
		topics, err := adm.ListTopics(ctx)
		if err != nil || topics.Has("visible") {
			return fmt.Errorf("%v %v", err, topics.Names())
		}
		return nil
	})
	// A produce to a topic the principal may not Write fails with Kafka's error.
	cl := b.Client(kgo.RecordRetries(1))
	defer cl.Close()
	err = cl.ProduceSync(ctx, &kgo.Record{Topic: "visible", Value: []byte("x")}).FirstErr()
	if err == nil || !strings.Contains(err.Error(), kerr.TopicAuthorizationFailed.Message) {
		t.Fatalf("produce without Write: %v", err)
	}
}
