package replication

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/test/harness"
)

// kq reassign --throttle, as kafka-reassign-partitions.sh: the new
// replica of a partition holding 8 MiB is copied at the throttled rate
// (Kafka's rate lets one window's worth, 10 s x the rate, through at
// once, so 8 MiB at 512 KiB/s takes at least (8 - 5) / 0.5 = 6 s), the
// throttle configs are set while it runs, and the --verify that finds the
// move done clears them.
func TestReassignThrottle(t *testing.T) {
	const rate = 512 << 10
	c := startCluster(t, 2, nil)
	c.createAssigned("th", map[int32][]int32{0: {1}}, nil)
	produceSized(t, c.producer(), "th", 0, 8192, 1024)
	plan := writePlan(t, `{"version":1,"partitions":[{"topic":"th","partition":0,"replicas":[1,2]}]}`)
	bootstrap := c.brokers[1].Addr

	start := time.Now()
	res := harness.KQ(t, nil, "reassign", "--execute", "--throttle", fmt.Sprint(rate), "--reassignment-json-file", plan, "-b", bootstrap)
	if res.Code != 0 || !strings.Contains(res.Stdout, fmt.Sprintf("The inter-broker throttle limit was set to %d B/s", rate)) {
		t.Fatalf("execute: code %d\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
	topicCfg := harness.KQ(t, nil, "configs", "--describe", "--entity-type", "topics", "--entity-name", "th", "-b", bootstrap)
	for _, want := range []string{"leader.replication.throttled.replicas=0:1", "follower.replication.throttled.replicas=0:2"} {
		if !strings.Contains(topicCfg.Stdout, want) {
			t.Fatalf("topic configs while moving lack %s:\n%s%s", want, topicCfg.Stdout, topicCfg.Stderr)
		}
	}
	var verify harness.Result
	harness.Eventually(t, 90*time.Second, "the throttled move to complete", func() error {
		verify = harness.KQ(t, nil, "reassign", "--verify", "--reassignment-json-file", plan, "-b", bootstrap)
		if verify.Code != 0 || !strings.Contains(verify.Stdout, "Reassignment of partition th-0 is completed.") {
			return fmt.Errorf("code %d: %s%s", verify.Code, verify.Stdout, verify.Stderr)
		}
		return nil
	})
	took := time.Since(start)
	t.Logf("moved 8 MiB with a %d B/s throttle in %v", rate, took.Round(time.Millisecond))
	if took < 4*time.Second {
		t.Errorf("the throttled move took %v, want at least ~6 s at %d B/s", took, rate)
	}
	if !strings.Contains(verify.Stdout, "Clearing broker-level throttles on brokers 1,2") ||
		!strings.Contains(verify.Stdout, "Clearing topic-level throttles on topic th") {
		t.Fatalf("the completing --verify did not clear the throttles:\n%s", verify.Stdout)
	}
	after := harness.KQ(t, nil, "configs", "--describe", "--entity-type", "topics", "--entity-name", "th", "-b", bootstrap)
	broker := harness.KQ(t, nil, "configs", "--describe", "--entity-type", "brokers", "--entity-name", "1", "-b", bootstrap)
	if strings.Contains(after.Stdout, "throttled") || strings.Contains(broker.Stdout, "throttled") {
		t.Fatalf("throttles left after --verify:\n%s%s", after.Stdout, broker.Stdout)
	}
}
