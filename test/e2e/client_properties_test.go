package e2e

import (
	"strings"
	"testing"

	"github.com/kqhq/kq/test/harness"
)

// TestClientPropertiesTakeEffect: Kafka client properties given to the
// console commands change what they do (issue #17: they were accepted and
// ignored), and a property kq cannot honour is refused by name.
func TestClientPropertiesTakeEffect(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	mustKQ(t, b, "", "topics", "--create", "--topic", "props", "--partitions", "1", "--replication-factor", "1")
	mustKQ(t, b, "a\nb\nc\n", "produce", "--topic", "props", "--producer-property", "acks=1",
		"--producer-property", "max.in.flight.requests.per.connection=1", "-X", "retry.backoff.ms=50")

	// auto.offset.reset=earliest starts at the beginning without --from-beginning.
	if out := mustKQ(t, b, "", "consume", "--topic", "props", "-X", "auto.offset.reset=earliest", "--exit-at-end"); out != "a\nb\nc\n" {
		t.Fatalf("-X auto.offset.reset=earliest read %q", out)
	}
	// group.id makes consume a group member that commits what it read...
	if out := mustKQ(t, b, "", "consume", "--topic", "props", "--consumer-property", "group.id=g1",
		"--consumer-property", "auto.offset.reset=earliest", "--max-messages", "3", "--timeout-ms", "20000"); out != "a\nb\nc\n" {
		t.Fatalf("group g1 read %q", out)
	}
	if out := mustKQ(t, b, "", "groups", "--describe", "--group", "g1", "-o", "json"); !strings.Contains(out, `"current_offset": 3`) {
		t.Fatalf("g1 did not commit:\n%s", out)
	}
	// ...unless enable.auto.commit=false.
	mustKQ(t, b, "", "consume", "--topic", "props", "-X", "group.id=g2", "-X", "enable.auto.commit=false",
		"-X", "auto.offset.reset=earliest", "--max-messages", "3", "--timeout-ms", "20000")
	if res := kq(t, b, "", "groups", "--describe", "--group", "g2", "-o", "json"); strings.Contains(res.Stdout, `"current_offset": 3`) {
		t.Fatalf("g2 committed with enable.auto.commit=false:\n%s", res.Stdout)
	}

	refused := []struct {
		args []string
		want string
	}{
		{[]string{"consume", "--topic", "props", "-X", "interceptor.classes=com.example.Audit"}, "client property interceptor.classes: not supported by kq"},
		{[]string{"produce", "--topic", "props", "--producer-property", "partitioner.class=com.example.Mine"}, "client property partitioner.class: not supported by kq"},
		{[]string{"topics", "--list", "-X", "sasl.mechansim=PLAIN"}, "client property sasl.mechansim: unknown"},
		{[]string{"consume", "--topic", "props", "-X", "auto.offset.reset=none", "--exit-at-end"}, "auto.offset.reset=none needs a group"},
	}
	for _, tc := range refused {
		res := kq(t, b, "", tc.args...)
		if res.Code != 2 || !strings.Contains(res.Stderr, tc.want) {
			t.Errorf("kq %v: exit %d, stderr %q; want exit 2 naming %q", tc.args, res.Code, res.Stderr, tc.want)
		}
	}
	// A producer property on a command that does not produce is named.
	res := kq(t, b, "", "topics", "--list", "-X", "acks=all")
	if res.Code != 0 || !strings.Contains(res.Stderr, "acks is a producer property; kq topics does not use it") {
		t.Errorf("topics --list -X acks=all: exit %d, stderr %q", res.Code, res.Stderr)
	}
}
