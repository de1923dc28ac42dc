package e2e

import (
	"strings"
	"testing"

	"github.com/kqhq/kq/test/harness"
)

// TestConsoleProducerFlagsReachTheBroker: kafka-console-producer's flags
// in the real binary. --message-send-max-retries bounds a record the
// broker keeps refusing, which then fails with the broker's own error
// instead of retrying until delivery.timeout.ms ("records have timed out").
func TestConsoleProducerFlagsReachTheBroker(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	mustKQ(t, b, "", "topics", "--create", "--topic", "strict", "--partitions", "1", "--replication-factor", "1",
		"--config", "min.insync.replicas=2")
	for _, flags := range [][]string{
		nil, // Kafka's console default: 3 retries
		{"--message-send-max-retries", "0"},
		{"--message-send-max-retries", "1", "--producer-property", "retries=1000000"}, // the flag wins
	} {
		args := append([]string{"produce", "--topic", "strict", "--retry-backoff-ms", "10", "-X", "delivery.timeout.ms=600000"}, flags...)
		res := kq(t, b, "a\n", args...)
		if res.Code == 0 || !strings.Contains(res.Stderr, "NOT_ENOUGH_REPLICAS") || strings.Contains(res.Stderr, "timed out") {
			t.Fatalf("%v: exit %d, stderr %q; want a failure naming NOT_ENOUGH_REPLICAS", flags, res.Code, res.Stderr)
		}
	}

	mustKQ(t, b, "", "topics", "--create", "--topic", "synced", "--partitions", "1", "--replication-factor", "1")
	mustKQ(t, b, "k1:a\nk2:b\nk3:c\n", "produce", "--topic", "synced", "--sync", "--timeout", "0",
		"--request-timeout-ms", "5000", "--max-block-ms", "10000", "--line-reader", "org.apache.kafka.tools.LineMessageReader",
		"--property", "parse.key=true", "--property", "key.separator=:")
	got := mustKQ(t, b, "", "consume", "--topic", "synced", "--from-beginning", "--exit-at-end",
		"--property", "print.key=true", "--property", "key.separator=:")
	if got != "k1:a\nk2:b\nk3:c\n" {
		t.Fatalf("consumed %q", got)
	}

	refused := []struct {
		args []string
		want string
	}{
		{[]string{"produce", "--topic", "synced", "--socket-buffer-size", "1024"}, "--socket-buffer-size"},
		{[]string{"produce", "--topic", "synced", "--line-reader", "com.example.Reader"}, "--line-reader com.example.Reader is refused"},
	}
	for _, tc := range refused {
		res := kq(t, b, "x\n", tc.args...)
		if res.Code != 2 || !strings.Contains(res.Stderr, tc.want) {
			t.Errorf("kq %v: exit %d, stderr %q; want exit 2 naming %q", tc.args, res.Code, res.Stderr, tc.want)
		}
	}
	if out := mustKQ(t, b, "", "produce", "--version"); !strings.HasPrefix(out, "kq ") {
		t.Errorf("produce --version printed %q", out)
	}
}

// TestConsoleScriptFlagsInTheBinary: the other scripts' flags kq took on
// (issue #17 item 1), run as an operator types them.
func TestConsoleScriptFlagsInTheBinary(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	mustKQ(t, b, "", "topics", "--create", "--topic", "flags-a", "--partitions", "1", "--replication-factor", "1", "--disable-rack-aware")
	mustKQ(t, b, "k:v1\nk:v2\n", "produce", "--topic", "flags-a", "--property", "parse.key=true", "--property", "key.separator=:")

	got := mustKQ(t, b, "", "consume", "--include", "flags-.*", "--from-beginning", "--max-messages", "2", "--timeout-ms", "20000",
		"--formatter", "kafka.tools.DefaultMessageFormatter", "--property", "print.key=true",
		"--value-deserializer", "org.apache.kafka.common.serialization.StringDeserializer", "--enable-systest-events", "--group", "flags-g")
	if got != "k\tv1\nk\tv2\nshutdown_complete\n" {
		t.Fatalf("consume printed %q", got)
	}
	if out := mustKQ(t, b, "", "groups", "--reset-offsets", "--group", "flags-g", "--topic", "flags-a", "--to-earliest", "--export"); out != "flags-a,0,0\n" {
		t.Fatalf("groups --export printed %q", out)
	}
	if out := mustKQ(t, b, "", "groups", "--list", "--type", "--timeout", "10000"); !strings.Contains(out, "flags-g") || !strings.Contains(out, "Classic") {
		t.Fatalf("groups --list --type printed %q", out)
	}
	desc := mustKQ(t, b, "", "topics", "--describe", "--topic", "flags-a")
	_, rest, _ := strings.Cut(desc, "TopicId: ")
	id, _, _ := strings.Cut(rest, "\t")
	if out := mustKQ(t, b, "", "topics", "--describe", "--topic-id", id); !strings.Contains(out, "Topic: flags-a\t") {
		t.Fatalf("topics --describe --topic-id %s printed %q", id, out)
	}

	refused := []struct {
		args []string
		want string
	}{
		{[]string{"consume", "--topic", "flags-a", "--formatter", "com.example.Fmt"}, "--formatter com.example.Fmt is refused"},
		{[]string{"configs", "--describe", "--topic", "flags-a", "--bootstrap-controller", b.Addr}, "--bootstrap-controller is refused"},
		{[]string{"leader-election", "--election-type", "preferred", "--all-topic-partitions", "--admin.config", "/nonexistent/admin.properties"}, "admin.properties"},
	}
	for _, tc := range refused {
		res := kq(t, b, "", tc.args...)
		if res.Code != 2 || !strings.Contains(res.Stderr, tc.want) {
			t.Errorf("kq %v: exit %d, stderr %q; want exit 2 naming %q", tc.args, res.Code, res.Stderr, tc.want)
		}
	}
	for _, cmd := range []string{"topics", "consume", "groups", "configs", "leader-election", "reassign"} {
		if out := mustKQ(t, b, "", cmd, "--version"); !strings.HasPrefix(out, "kq ") {
			t.Errorf("%s --version printed %q", cmd, out)
		}
	}
}
