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
