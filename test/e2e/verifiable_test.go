package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/kqhq/kq/test/harness"
)

// event is the part of a verifiable client's JSON line the test reads.
type event struct {
	Name      string `json:"name"`
	Value     string `json:"value"`
	Partition int32  `json:"partition"`
	Sent      int64  `json:"sent"`
	Acked     int64  `json:"acked"`
	Count     int64  `json:"count"`
	Success   bool   `json:"success"`
}

func events(t *testing.T, out string) []event {
	t.Helper()
	var evs []event
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var e event
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("not a JSON event: %q: %v", line, err)
		}
		evs = append(evs, e)
	}
	return evs
}

// TestVerifiableProducerAndConsumer runs the clients Kafka's system tests
// drive: every record the producer acknowledges is consumed by the group
// member, and both print their lifecycle events in Kafka's order.
func TestVerifiableProducerAndConsumer(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Props: map[string]string{"offsets.topic.replication.factor": "1"}})
	mustKQ(t, b, "", "topics", "create", "v", "-p", "3", "-r", "1")

	pe := events(t, mustKQ(t, b, "", "verifiable-producer", "--topic", "v", "--max-messages", "30", "--repeating-keys", "5", "--throughput", "1000"))
	if pe[0].Name != "startup_complete" || pe[len(pe)-2].Name != "shutdown_complete" || pe[len(pe)-1].Name != "tool_data" {
		t.Fatalf("producer lifecycle: first %q, last %q %q", pe[0].Name, pe[len(pe)-2].Name, pe[len(pe)-1].Name)
	}
	acked := map[string]bool{}
	for _, e := range pe[1 : len(pe)-2] {
		if e.Name != "producer_send_success" {
			t.Fatalf("producer event %+v", e)
		}
		acked[e.Value] = true
	}
	if last := pe[len(pe)-1]; len(acked) != 30 || last.Sent != 30 || last.Acked != 30 {
		t.Fatalf("acked %d values; tool_data %+v", len(acked), last)
	}

	ce := events(t, mustKQ(t, b, "", "verifiable-consumer", "--topic", "v", "--group-id", "vg", "--max-messages", "30"))
	names := map[string]int{}
	var consumed int64
	for _, e := range ce {
		names[e.Name]++
		if e.Name == "offsets_committed" && !e.Success {
			t.Errorf("commit failed: %+v", e)
		}
	}
	for _, e := range ce {
		if e.Name == "records_consumed" {
			consumed += e.Count
		}
	}
	if ce[0].Name != "startup_complete" || ce[len(ce)-1].Name != "shutdown_complete" || names["partitions_assigned"] != 1 ||
		names["partitions_revoked"] != 1 || names["offsets_committed"] != names["records_consumed"] || consumed != 30 {
		t.Fatalf("consumer events %v, %d records consumed:\n%+v", names, consumed, ce)
	}
	var described []struct {
		Partitions []struct {
			Lag int64 `json:"lag"`
		} `json:"partitions"`
	}
	if err := json.Unmarshal([]byte(mustKQ(t, b, "", "groups", "--describe", "--group", "vg", "-o", "json")), &described); err != nil {
		t.Fatal(err)
	}
	if len(described) != 1 || len(described[0].Partitions) != 3 {
		t.Fatalf("group vg: %+v", described)
	}
	for _, p := range described[0].Partitions {
		if p.Lag != 0 {
			t.Errorf("the commits left lag: %+v", described)
		}
	}
}
