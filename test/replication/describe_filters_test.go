package replication

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/test/harness"
)

// partitionLine reads "\tTopic: t\tPartition: 0\tLeader: 1\t..." lines of
// kq topics --describe.
var partitionLine = regexp.MustCompile(`Topic: (\S+)\tPartition: (\d+)\tLeader: (\S+)`)

// describedPartitions runs kq topics --describe with a filter flag and
// returns "topic-partition" for every partition line it printed.
func (c *cluster) describedPartitions(filter string) ([]string, error) {
	args := []string{"topics", "--describe", filter, "--bootstrap-server", strings.Join(c.addrs(), ",")}
	res := harness.KQWithin(c.t, 30*time.Second, args...)
	if res.Code != 0 {
		return nil, fmt.Errorf("kq %s: exit %d\n%s", strings.Join(args, " "), res.Code, res.Stderr)
	}
	var out []string
	for _, m := range partitionLine.FindAllStringSubmatch(res.Stdout, -1) {
		out = append(out, m[1]+"-"+m[2])
	}
	slices.Sort(out)
	return out, nil
}

// expectDescribed waits until each filter lists exactly the partitions
// given.
func (c *cluster) expectDescribed(within time.Duration, want map[string][]string) {
	c.t.Helper()
	for filter, parts := range want {
		slices.Sort(parts)
		harness.Eventually(c.t, within, "kq topics --describe "+filter, func() error {
			got, err := c.describedPartitions(filter)
			if err != nil {
				return err
			}
			if !slices.Equal(got, parts) {
				return fmt.Errorf("listed %v, want %v", got, parts)
			}
			return nil
		})
	}
}

// The describe filters an operator reaches for during an incident, on a
// real cluster losing a broker: the RF=3 topic with min.insync.replicas=3
// becomes under-replicated and under its min ISR; the RF=1 partitions of
// the dead broker become unavailable (and, having no leader, under min ISR,
// as Kafka's TopicCommand counts them); all clear once it is back.
func TestDescribeFiltersFollowABrokerDeath(t *testing.T) {
	c := startCluster(t, 3, nil)
	c.createTopic("guarded", 3, map[string]*string{"min.insync.replicas": ptr("3")})
	res := harness.KQ(t, nil, "topics", "--create", "--topic", "single", "--partitions", "3",
		"--replication-factor", "1", "--bootstrap-server", strings.Join(c.addrs(), ","))
	if res.Code != 0 {
		t.Fatalf("create single: exit %d\n%s", res.Code, res.Stderr)
	}
	filters := []string{"--under-replicated-partitions", "--unavailable-partitions", "--under-min-isr-partitions"}
	healthy := map[string][]string{}
	for _, f := range filters {
		healthy[f] = nil
	}
	harness.Eventually(t, 30*time.Second, "single's partitions led", func() error {
		for p := range int32(3) {
			if c.zk.Leader("single", p) < 0 {
				return fmt.Errorf("single-%d has no leader", p)
			}
		}
		return nil
	})
	c.expectDescribed(30*time.Second, healthy)
	atMin, err := c.describedPartitions("--at-min-isr-partitions")
	// guarded: ISR 3 == min.insync.replicas 3; single: ISR 1 == the default 1.
	if err != nil || len(atMin) != 6 {
		t.Fatalf("--at-min-isr-partitions on a healthy cluster: %v %v", atMin, err)
	}

	const victim = int32(3)
	var lost []string
	for p := range int32(3) {
		if c.zk.Leader("single", p) == victim {
			lost = append(lost, fmt.Sprintf("single-%d", p))
		}
	}
	if len(lost) == 0 {
		t.Fatalf("no partition of single on broker %d: placement %v", victim, c.zk.States("single"))
	}
	c.brokers[victim].Kill()
	all := []string{"guarded-0", "guarded-1", "guarded-2"}
	c.expectDescribed(3*sessionTimeout, map[string][]string{
		"--under-replicated-partitions": all,
		"--under-min-isr-partitions":    append(slices.Clone(all), lost...), // no leader counts, as Kafka's
		"--unavailable-partitions":      lost,
	})

	c.brokers[victim].Start()
	c.brokers[victim].WaitServing(30 * time.Second)
	c.zk.WaitFullIsr("guarded", 3, 60*time.Second)
	c.expectDescribed(30*time.Second, healthy)
}

func ptr(s string) *string { return &s }
