package sasl

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/store/meta/zktest"
	"github.com/kqhq/kq/test/harness"
)

// kqZK runs kq configs against ZooKeeper and fails the test on an error.
func kqZK(t *testing.T, connect string, args ...string) harness.Result {
	t.Helper()
	res := harness.KQ(t, nil, append([]string{"configs", "--zookeeper", connect}, args...)...)
	if res.Code != 0 {
		t.Fatalf("kq configs %v: %d %s %s", args, res.Code, res.Stdout, res.Stderr)
	}
	return res
}

// saslOnlyProps are a broker whose only listener is SASL_PLAINTEXT, used
// between brokers too, with SCRAM-SHA-512 and the broker's own credentials.
func saslOnlyProps(addr string) map[string]string {
	return map[string]string{
		"listeners":                            "SASL_PLAINTEXT://" + addr,
		"security.inter.broker.protocol":       "SASL_PLAINTEXT",
		"sasl.enabled.mechanisms":              "SCRAM-SHA-512,SCRAM-SHA-256",
		"sasl.mechanism.inter.broker.protocol": "SCRAM-SHA-512",
		"listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config": `org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="` + adminSecret + `";`,
		"offsets.topic.replication.factor":                            "1",
	}
}

func startSASLOnlyBroker(t *testing.T, id int32, connect string) *harness.Broker {
	t.Helper()
	port := harness.FreePort(t)
	b := harness.StartBroker(t, harness.Options{BrokerID: id, Zookeeper: connect, Port: port,
		Props:      saslOnlyProps(fmt.Sprintf("127.0.0.1:%d", port)),
		ClientOpts: []kgo.Opt{kgo.SASL(scramSHA512("admin", adminSecret))}})
	t.Cleanup(func() { checkNoSecrets(t, b.Logs()) })
	return b
}

// TestZooKeeperCredentials: the first admin is created with
// kq configs --zookeeper before any broker runs (as Kafka requires in
// ZooKeeper mode); a running broker picks up a user added the same way
// through /config/changes, and one deleted stops logging in. --describe
// shows mechanisms and iterations, never keys.
func TestZooKeeperCredentials(t *testing.T) {
	zk := zktest.Start(t)
	connect := zk.ConnectString("/kq")
	kqZK(t, connect, "--alter", "--entity-type", "users", "--entity-name", "admin",
		"--add-config", "SCRAM-SHA-512=[password="+adminSecret+"]")
	b := startSASLOnlyBroker(t, 1, connect)
	harness.Eventually(t, 30*time.Second, "admin produces and consumes", func() error {
		return produceConsume(t, b.Addr, "zk-admin", scramSHA512("admin", adminSecret), 2)
	})

	kqZK(t, connect, "--alter", "--entity-type", "users", "--entity-name", "alice",
		"--add-config", "SCRAM-SHA-256=[iterations=8192,password="+aliceSecret+"]")
	harness.Eventually(t, 20*time.Second, "alice's credential on the broker", func() error {
		return metadataErr(b.Addr, scramSHA256("alice", aliceSecret))
	})
	res := kqZK(t, connect, "--describe", "--entity-type", "users")
	want := "SCRAM credential configs for user-principal 'admin' are SCRAM-SHA-512=iterations=4096\n" +
		"SCRAM credential configs for user-principal 'alice' are SCRAM-SHA-256=iterations=8192\n"
	if res.Stdout != want {
		t.Fatalf("describe:\n%s", res.Stdout)
	}
	// The brokers' API agrees with ZooKeeper.
	described := harness.KQ(t, nil, "configs", "--describe", "--entity-type", "users", "--entity-name", "alice",
		"--bootstrap-server", b.Addr, "-X", "security.protocol=SASL_PLAINTEXT", "-X", "sasl.mechanism=SCRAM-SHA-512",
		"-X", "sasl.username=admin", "-X", "sasl.password="+adminSecret)
	if described.Code != 0 || !strings.Contains(described.Stdout, "SCRAM-SHA-256=iterations=8192") {
		t.Fatalf("describe through the broker: %d %s %s", described.Code, described.Stdout, described.Stderr)
	}

	kqZK(t, connect, "--alter", "--entity-type", "users", "--entity-name", "alice", "--delete-config", "SCRAM-SHA-256")
	harness.Eventually(t, 20*time.Second, "alice's credential gone from the broker", func() error {
		if metadataErr(b.Addr, scramSHA256("alice", aliceSecret)) == nil {
			return fmt.Errorf("alice still logs in")
		}
		return nil
	})
}

// TestInterBrokerSASL: two brokers whose only listener is SASL_PLAINTEXT
// replicate to each other (fetchers, controller requests) with
// SCRAM-SHA-512 and the broker's own JAAS credentials.
func TestInterBrokerSASL(t *testing.T) {
	zk := zktest.Start(t)
	connect := zk.ConnectString("/kq")
	kqZK(t, connect, "--alter", "--entity-type", "users", "--entity-name", "admin",
		"--add-config", "SCRAM-SHA-512=[password="+adminSecret+"]")
	b1 := startSASLOnlyBroker(t, 1, connect)
	b2 := startSASLOnlyBroker(t, 2, connect)
	adm := kadm.NewClient(b1.Client())
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	harness.Eventually(t, 30*time.Second, "both brokers registered", func() error {
		md, err := adm.BrokerMetadata(ctx)
		if err != nil || len(md.Brokers) != 2 {
			return fmt.Errorf("brokers %v: %v", md.Brokers, err)
		}
		return nil
	})
	if _, err := adm.CreateTopic(ctx, 1, 2, nil, "replicated"); err != nil {
		t.Fatalf("create topic: %v", err)
	}
	cl := b2.Client(kgo.DefaultProduceTopic("replicated"), kgo.RequiredAcks(kgo.AllISRAcks()))
	harness.Eventually(t, 30*time.Second, "an acks=all write to both replicas", func() error {
		return cl.ProduceSync(ctx, kgo.StringRecord("v")).FirstErr()
	})
	harness.Eventually(t, 30*time.Second, "both replicas in sync", func() error {
		md, err := adm.Metadata(ctx, "replicated")
		if err != nil {
			return err
		}
		if p := md.Topics["replicated"].Partitions[0]; len(p.ISR) != 2 {
			return fmt.Errorf("ISR %v", p.ISR)
		}
		return nil
	})
}
