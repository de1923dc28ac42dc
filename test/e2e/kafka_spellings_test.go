package e2e

import (
	"strings"
	"testing"

	"github.com/kqhq/kq/test/harness"
)

// Kafka 3.9's console producer still takes the deprecated --broker-list:
// kq reaches the cluster with it, warns as Kafka does, and ignores it when
// --bootstrap-server is given too.
func TestProduceTakesBrokerList(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	res := harness.KQ(t, strings.NewReader("a\nb\n"), "produce", "--broker-list", b.Addr, "--topic", "listed")
	if res.Code != 0 || !strings.Contains(res.Stderr, "--broker-list is deprecated") || res.Stdout != "" {
		t.Fatalf("produce --broker-list: exit %d\nstdout: %s\nstderr: %s", res.Code, res.Stdout, res.Stderr)
	}
	res = harness.KQ(t, strings.NewReader("c\n"), "produce", "--bootstrap-server", b.Addr,
		"--broker-list", "127.0.0.1:1", "--topic", "listed")
	if res.Code != 0 {
		t.Fatalf("produce with both: exit %d\nstderr: %s", res.Code, res.Stderr)
	}
	got := mustKQ(t, b, "", "consume", "--topic", "listed", "--from-beginning", "--max-messages", "3", "--timeout-ms", "20000")
	if got != "a\nb\nc\n" {
		t.Fatalf("consumed %q", got)
	}
}

// kafka-topics --create without --partitions or --replication-factor
// takes the broker's num.partitions and default.replication.factor, as
// Kafka 3.9 does with --bootstrap-server.
func TestCreateTopicTakesTheBrokersDefaults(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Props: map[string]string{"num.partitions": "4"}})
	res := kq(t, b, "", "topics", "--create", "--topic", "defaulted")
	if res.Code != 0 {
		t.Fatalf("create: exit %d\nstderr: %s", res.Code, res.Stderr)
	}
	out := mustKQ(t, b, "", "topics", "--describe", "--topic", "defaulted", "-o", "json")
	if !strings.Contains(out, `"partition_count": 4`) {
		t.Fatalf("describe: %s", out)
	}
}

// kafka-server-start.sh takes the properties file as its argument: so does
// kq server, and a file given twice is a usage error.
func TestServerTakesThePropertiesFileAsItsArgument(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 7, ConfigAsArgument: true,
		Props: map[string]string{"num.partitions": "2"}})
	mustKQ(t, b, "a\n", "produce", "--topic", "from-file")
	out := mustKQ(t, b, "", "topics", "--describe", "--topic", "from-file", "-o", "json")
	if !strings.Contains(out, `"partition_count": 2`) {
		t.Fatalf("the file's num.partitions was not read: %s", out)
	}
	res := harness.KQ(t, nil, "server", "a.properties", "--config", "b.properties")
	if res.Code != 2 || !strings.Contains(res.Stderr, "give the properties file once") {
		t.Fatalf("file twice: exit %d\nstderr: %s", res.Code, res.Stderr)
	}
}
