package cluster

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/test/harness"
)

// kqZK runs `kq topics ... --zookeeper connect` and checks its exit code.
func kqZK(t *testing.T, connect string, exit int, args ...string) harness.Result {
	t.Helper()
	res := harness.KQ(t, nil, append(append([]string{"topics"}, args...), "--zookeeper", connect)...)
	if res.Code != exit {
		t.Fatalf("kq topics %v --zookeeper: exit %d, want %d\nstdout: %s\nstderr: %s", args, res.Code, exit, res.Stdout, res.Stderr)
	}
	return res
}

// waitLeaders waits until every broker reports partitions partitions of
// topic, each with a leader.
func waitLeaders(ctx context.Context, t *testing.T, addrs []string, topic string, partitions int) {
	t.Helper()
	for _, a := range addrs {
		harness.Eventually(t, 30*time.Second, fmt.Sprintf("%d partitions of %s with leaders on %s", partitions, topic, a), func() error {
			got, _, err := leaders(ctx, a, topic)
			if err != nil || len(got) != partitions {
				return fmt.Errorf("leaders %v err %v", got, err)
			}
			for p, l := range got {
				if l < 1 {
					return fmt.Errorf("partition %d has leader %d", p, l)
				}
			}
			return nil
		})
	}
}

// Topics written to ZooKeeper by `kq topics --zookeeper`, with no broker
// in the path, are taken up by the brokers' controller: leaders elected,
// added partitions served, deletions carried out.
func TestTopicsThroughZooKeeper(t *testing.T) {
	bs, connect := startZKClusterConnect(t, 3)
	addrs := seeds(bs)
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	harness.Eventually(t, 20*time.Second, "3 live brokers", func() error {
		brokers, _, err := brokerMetadata(ctx, addrs...)
		if err != nil || len(brokers) != 3 {
			return fmt.Errorf("brokers %v err %v", brokers, err)
		}
		return nil
	})
	res := kqZK(t, connect, 0, "--create", "--topic", "zkt", "--partitions", "3", "--replication-factor", "2", "--config", "retention.ms=60000")
	if res.Stdout != "Created topic zkt.\n" {
		t.Fatalf("create stdout %q", res.Stdout)
	}
	waitLeaders(ctx, t, addrs, "zkt", 3)
	checkBrokerDescribe(t, addrs[1], "zkt", 3)
	checkZKDescribe(t, connect)

	kqZK(t, connect, 0, "alter", "zkt", "-p", "5")
	waitLeaders(ctx, t, addrs, "zkt", 5)
	if res := kqZK(t, connect, 0, "list"); res.Stdout != "zkt\n" {
		t.Fatalf("list stdout %q", res.Stdout)
	}
	checkZKRefusals(t, connect)

	res = kqZK(t, connect, 0, "--delete", "--topic", "zkt")
	if !strings.Contains(res.Stderr, "Topic zkt is marked for deletion.") {
		t.Fatalf("delete stderr %q", res.Stderr)
	}
	for _, a := range addrs {
		harness.Eventually(t, 30*time.Second, "zkt gone from "+a, func() error {
			got, _, err := leaders(ctx, a, "zkt")
			if err == nil && len(got) > 0 {
				return fmt.Errorf("still has partitions %v", got)
			}
			return nil
		})
	}
	harness.Eventually(t, 30*time.Second, "zkt gone from ZooKeeper", func() error {
		if res := harness.KQ(t, nil, "topics", "--describe", "--topic", "zkt", "--zookeeper", connect); res.Code != 3 {
			return fmt.Errorf("describe exit %d: %s%s", res.Code, res.Stdout, res.Stderr)
		}
		return nil
	})
}

// checkBrokerDescribe checks a broker describes the topic with a leader
// on every partition.
func checkBrokerDescribe(t *testing.T, addr, topic string, partitions int) {
	t.Helper()
	res := harness.KQ(t, nil, "-b", addr, "topics", "--describe", "--topic", topic)
	if res.Code != 0 || !strings.Contains(res.Stdout, "Configs: retention.ms=60000") {
		t.Fatalf("describe through %s: exit %d\n%s%s", addr, res.Code, res.Stdout, res.Stderr)
	}
	for p := range partitions {
		prefix := fmt.Sprintf("\tTopic: %s\tPartition: %d\tLeader: ", topic, p)
		if !strings.Contains(res.Stdout, prefix) || strings.Contains(res.Stdout, prefix+"none") {
			t.Fatalf("partition %d without a leader through %s:\n%s", p, addr, res.Stdout)
		}
	}
}

// checkZKDescribe checks describe from ZooKeeper shows what the
// controller wrote: leaders and full ISRs.
func checkZKDescribe(t *testing.T, connect string) {
	t.Helper()
	harness.Eventually(t, 20*time.Second, "ISR of 2 on every partition in ZooKeeper", func() error {
		res := harness.KQ(t, nil, "topics", "describe", "zkt", "--under-replicated-partitions", "--zookeeper", connect)
		if res.Code != 0 || res.Stdout != "" {
			return fmt.Errorf("exit %d, under-replicated:\n%s%s", res.Code, res.Stdout, res.Stderr)
		}
		return nil
	})
	res := kqZK(t, connect, 0, "--describe", "--topic", "zkt")
	if !strings.Contains(res.Stdout, "\tPartitionCount: 3\tReplicationFactor: 2\tConfigs: retention.ms=60000\n") ||
		strings.Contains(res.Stdout, "Leader: none") || strings.Count(res.Stdout, "\tTopic: zkt\tPartition: ") != 3 {
		t.Fatalf("describe from ZooKeeper:\n%s", res.Stdout)
	}
}

// checkZKRefusals checks bad input exits 2 with the broker's reason, and
// a missing topic exits 3.
func checkZKRefusals(t *testing.T, connect string) {
	t.Helper()
	res := kqZK(t, connect, 2, "--create", "--topic", "big", "--partitions", "1", "--replication-factor", "4")
	if !strings.Contains(res.Stderr, "larger than available brokers: 3") {
		t.Fatalf("stderr %q", res.Stderr)
	}
	res = kqZK(t, connect, 2, "create", "t2", "--replica-assignment", "1:9")
	if !strings.Contains(res.Stderr, "unknown broker 9") {
		t.Fatalf("stderr %q", res.Stderr)
	}
	res = kqZK(t, connect, 1, "create", "zkt", "-p", "1", "-r", "1")
	if !strings.Contains(res.Stderr, "already exists") {
		t.Fatalf("stderr %q", res.Stderr)
	}
	kqZK(t, connect, 3, "--alter", "--topic", "nope", "--partitions", "2")
	kqZK(t, connect, 2, "alter", "zkt", "-p", "4")
}

// An unreachable ZooKeeper exits 5 (unreachable), naming ZooKeeper.
func TestTopicsZooKeeperUnreachable(t *testing.T) {
	connect := fmt.Sprintf("127.0.0.1:%d", harness.FreePort(t))
	res := harness.KQWithin(t, 30*time.Second, "topics", "--list", "--zookeeper", connect)
	if res.Code != 5 || !strings.Contains(res.Stderr, "connect to ZooKeeper "+connect) {
		t.Fatalf("exit %d, stderr:\n%s", res.Code, res.Stderr)
	}
}

// The old kafka-topics' --zookeeper --alter --config/--delete-config
// writes /config/topics/<topic> and a change notification; every broker
// takes the change up without a restart.
func TestTopicConfigThroughZooKeeper(t *testing.T) {
	bs, connect := startZKClusterConnect(t, 1)
	kqZK(t, connect, 0, "--create", "--topic", "zkc", "--partitions", "1", "--replication-factor", "1", "--config", "retention.ms=60000")
	res := kqZK(t, connect, 0, "--alter", "--topic", "zkc", "--config", "retention.ms=1234", "--config", "cleanup.policy=compact")
	if !strings.Contains(res.Stderr, "Updated config for topic zkc.") {
		t.Fatalf("alter stderr %q", res.Stderr)
	}
	kqZK(t, connect, 0, "--alter", "--topic", "zkc", "--delete-config", "cleanup.policy")
	kqZK(t, connect, 1, "--alter", "--topic", "zkc", "--config", "retention.ms=soon")
	harness.Eventually(t, 20*time.Second, "the broker's view of zkc's configs", func() error {
		res := harness.KQ(t, nil, "-b", bs[0].Addr, "configs", "--describe", "--entity-type", "topics", "--entity-name", "zkc")
		if res.Code != 0 || !strings.Contains(res.Stdout, "retention.ms=1234") || strings.Contains(res.Stdout, "cleanup.policy=compact") {
			return fmt.Errorf("exit %d: %s%s", res.Code, res.Stdout, res.Stderr)
		}
		return nil
	})
	res = harness.KQ(t, nil, "topics", "-b", bs[0].Addr, "--alter", "--topic", "zkc", "--config", "retention.ms=1")
	if res.Code != 2 || !strings.Contains(res.Stderr, "kq configs --alter") {
		t.Fatalf("--alter --config without --zookeeper: exit %d: %s", res.Code, res.Stderr)
	}
}
