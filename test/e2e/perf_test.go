package e2e

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/kqhq/kq/test/harness"
)

// TestPerfCommandsPrintKafkasLines runs kq perf produce, consume and e2e
// against a real broker and checks their output has the shape of Kafka's
// perf tools, and that -o json carries the same figures.
func TestPerfCommandsPrintKafkasLines(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	mustKQ(t, b, "", "topics", "--create", "--topic", "perf", "--partitions", "3", "--replication-factor", "1")

	produced := mustKQ(t, b, "", "perf", "produce", "--topic", "perf", "--num-records", "2000", "--record-size", "100", "--acks", "all")
	wantLine(t, produced, `^2000 records sent, \d+\.\d{6} records/sec \(\d+\.\d\d MB/sec\), \d+\.\d\d ms avg latency, `+
		`\d+\.\d\d ms max latency, \d+ ms 50th, \d+ ms 95th, \d+ ms 99th, \d+ ms 99\.9th\.$`)
	var sum struct{ Records int64 }
	decode(t, mustKQ(t, b, "", "perf", "produce", "--topic", "perf", "--num-records", "1000", "-o", "json"), &sum)
	if sum.Records != 1000 {
		t.Fatalf("produce -o json: %d records", sum.Records)
	}

	consumed := mustKQ(t, b, "", "perf", "consume", "--topic", "perf", "--messages", "3000")
	if !strings.HasPrefix(consumed, "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, ") {
		t.Fatalf("consume header: %q", consumed)
	}
	wantLine(t, consumed, `^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d:\d{3}, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d:\d{3}, 0\.2861, [\d.]+, 3000, [\d.]+, 0, \d+, [\d.]+, [\d.]+$`)
	decode(t, mustKQ(t, b, "", "perf", "consume", "--topic", "perf", "-o", "json"), &sum)
	if sum.Records != 3000 {
		t.Fatalf("consume -o json: %d records", sum.Records)
	}

	latency := harness.KQ(t, nil, "perf", "e2e", b.Addr, "latency", "300", "all", "64")
	if latency.Code != 0 {
		t.Fatalf("e2e: exit %d: %s", latency.Code, latency.Stderr)
	}
	if !strings.HasPrefix(latency.Stdout, "Topic \"latency\" does not exist. Will create topic with 1 partition(s) and replication factor = 1\n0\t") {
		t.Fatalf("e2e: %q", latency.Stdout)
	}
	wantLine(t, latency.Stdout, `^Percentiles: 50th = \d+, 99th = \d+, 99\.9th = \d+$`)
	var e2e struct{ Messages int64 }
	decode(t, mustKQ(t, b, "", "perf", "e2e", "--topic", "latency", "--num-messages", "100", "-o", "json"), &e2e)
	if e2e.Messages != 100 {
		t.Fatalf("e2e -o json: %d messages", e2e.Messages)
	}
}

func wantLine(t *testing.T, out, pattern string) {
	t.Helper()
	if !regexp.MustCompile(`(?m)` + pattern).MatchString(out) {
		t.Fatalf("no line matches %s in:\n%s", pattern, out)
	}
}

func decode(t *testing.T, out string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("%v: %q", err, out)
	}
}
