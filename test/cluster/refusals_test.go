package cluster

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/store/meta/zktest"
	"github.com/kqhq/kq/test/harness"
)

// A second broker with a live broker's id refuses to start, saying why,
// once the registration it found has outlived a session timeout (+5 s):
// until then it could be a crashed predecessor's, which it would replace.
func TestDuplicateBrokerIDRefused(t *testing.T) {
	zk := zktest.Start(t)
	connect := zk.ConnectString("/kq")
	harness.StartBroker(t, harness.Options{BrokerID: 1, Zookeeper: connect})
	res := harness.KQWithin(t, 30*time.Second, "server", "--broker-id", "1", "--zookeeper", connect,
		"--override", "zookeeper.session.timeout.ms=4000",
		"--listeners", fmt.Sprintf("PLAINTEXT://127.0.0.1:%d", harness.FreePort(t)), "--log-dirs", t.TempDir())
	if res.Code == 0 || !strings.Contains(res.Stderr, "broker.id=1") || !strings.Contains(res.Stderr, "waiting for it to expire") {
		t.Fatalf("second broker 1: exit %d, stderr:\n%s", res.Code, res.Stderr)
	}
}

// A broker that never reaches ZooKeeper gives up after
// zookeeper.connection.timeout.ms and exits non-zero, naming ZooKeeper.
func TestUnreachableZooKeeperExits(t *testing.T) {
	start := time.Now()
	res := harness.KQWithin(t, 30*time.Second, "server", "--broker-id", "1",
		"--zookeeper", fmt.Sprintf("127.0.0.1:%d", harness.FreePort(t)),
		"--override", "zookeeper.connection.timeout.ms=2000",
		"--listeners", fmt.Sprintf("PLAINTEXT://127.0.0.1:%d", harness.FreePort(t)), "--log-dirs", t.TempDir())
	if res.Code == 0 || !strings.Contains(strings.ToLower(res.Stderr), "zookeeper") {
		t.Fatalf("exit %d, stderr:\n%s", res.Code, res.Stderr)
	}
	if took := time.Since(start); took > 20*time.Second {
		t.Fatalf("gave up after %s, want about zookeeper.connection.timeout.ms", took)
	}
}

// A config value Kafka would refuse stops the broker before it starts,
// naming the key.
func TestInvalidConfigRefused(t *testing.T) {
	res := harness.KQWithin(t, 30*time.Second, "server", "--override", "num.partitions=abc", "--log-dirs", t.TempDir())
	if res.Code == 0 || !strings.Contains(res.Stderr, "num.partitions") {
		t.Fatalf("exit %d, stderr:\n%s", res.Code, res.Stderr)
	}
}
