package metrics

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/test/harness"
)

// TestNotReadyWithOfflinePartition leaves a partition without a leader
// while broker 1 holds a replica of it: broker 2, its only in-sync replica,
// is dead and unclean election is off. Broker 1 is then not ready, and as
// controller counts the partition offline; broker 2's return makes it
// ready again.
func TestNotReadyWithOfflinePartition(t *testing.T) {
	c := startZKCluster(t, 2, map[string]string{"unclean.leader.election.enable": "false"})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	createAssigned(ctx, t, c, "o", []int32{2, 1})
	c.waitIsr("o", "full ISR", fullIsr)

	// Broker 1 leaves the ISR, then broker 2 dies: nobody may lead.
	if err := c.brokers[1].Stop(); err != nil {
		t.Fatal(err)
	}
	c.waitIsr("o", "ISR [2]", func(_, isr []int32, _ int32) bool { return slices.Equal(isr, []int32{2}) })
	c.brokers[2].Kill()
	c.brokers[1].Start()

	m1 := c.metrics[1]
	waitReadyz(t, m1, http.StatusServiceUnavailable, "offline partitions with a replica here: o-0")
	waitValue(t, m1, "kafka_controller_kafkacontroller_offlinepartitionscount", func(v float64) bool { return v >= 1 }, ">= 1")

	c.brokers[2].Start()
	waitReady(t, m1)
	waitValue(t, m1, "kafka_controller_kafkacontroller_offlinepartitionscount", equals(0), "= 0 once broker 2 leads again")
}

// createAssigned creates a one-partition topic with the replicas given,
// the first the preferred leader.
func createAssigned(ctx context.Context, t *testing.T, c *zkCluster, topic string, replicas []int32) {
	t.Helper()
	req := kmsg.NewPtrCreateTopicsRequest()
	rt := kmsg.NewCreateTopicsRequestTopic()
	rt.Topic, rt.NumPartitions, rt.ReplicationFactor = topic, -1, -1
	ra := kmsg.NewCreateTopicsRequestTopicReplicaAssignment()
	ra.Partition, ra.Replicas = 0, replicas
	rt.ReplicaAssignment = append(rt.ReplicaAssignment, ra)
	req.Topics = append(req.Topics, rt)
	req.TimeoutMillis = 30000
	resp, err := req.RequestWith(ctx, c.client())
	if err != nil {
		t.Fatal(err)
	}
	if code := resp.Topics[0].ErrorCode; code != 0 {
		t.Fatalf("create %s: error code %d", topic, code)
	}
}

// waitReadyz polls /readyz until it answers code with a body containing want.
func waitReadyz(t *testing.T, addr string, code int, want string) {
	t.Helper()
	harness.Eventually(t, 60*time.Second, "/readyz "+want, func() error { return readyErr(addr, code, want) })
}
