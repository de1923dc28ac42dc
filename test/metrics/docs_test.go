package metrics

import (
	"context"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"

	"github.com/kqhq/kq/test/harness"
)

// metricName finds the metric names a PromQL expression or a doc mentions.
var metricName = regexp.MustCompile(`\b(?:kafka|kq)_[a-z0-9_]+\b`)

// TestDocsMatchExportedMetrics scrapes a broker that has produced,
// committed and consumed, so every metric has a series, then checks that
// the Grafana dashboard queries only metrics kq exports and that
// docs/metrics.md lists exactly the Kafka metrics kq exports.
func TestDocsMatchExportedMetrics(t *testing.T) {
	exported := exercisedBroker(t)

	for _, name := range dashboardMetrics(t, "../../docs/grafana-kq.json") {
		if !exported[name] {
			t.Errorf("docs/grafana-kq.json queries %s, which kq does not export", name)
		}
	}

	documented := documentedKafkaMetrics(t, "../../docs/metrics.md")
	for name := range exported {
		if strings.HasPrefix(name, "kafka_") && !slices.Contains(documented, name) {
			t.Errorf("kq exports %s, missing from the table of docs/metrics.md", name)
		}
	}
	for _, name := range documented {
		if !exported[name] {
			t.Errorf("docs/metrics.md lists %s, which kq does not export", name)
		}
	}
}

// exercisedBroker runs a broker through produce, commit and consume and
// returns the metric families it then exports.
func exercisedBroker(t *testing.T) map[string]bool {
	maddr := metricsAddr(t)
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Props: map[string]string{"kq.metrics.listener": maddr}})
	waitReady(t, maddr)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	adm := b.Admin()
	defer adm.Close()
	if _, err := adm.CreateTopic(ctx, 1, 1, nil, "d"); err != nil {
		t.Fatal(err)
	}
	produce(ctx, t, b.Addr, "d", 10)
	offs := kadm.Offsets{}
	offs.Add(kadm.Offset{Topic: "d", Partition: 0, At: 5, LeaderEpoch: -1})
	if _, err := adm.CommitOffsets(ctx, "g", offs); err != nil {
		t.Fatal(err)
	}
	consume(ctx, t, b.Addr, "d", 10)
	waitValue(t, maddr, `kafka_consumergroup_lag{consumergroup="g",partition="0",topic="d"}`, equals(5), "= 5")
	out := map[string]bool{}
	for series := range mustScrape(t, maddr) {
		name, _, _ := strings.Cut(series, "{")
		out[name] = true
	}
	return out
}

// dashboardMetrics returns the metric names of every query of a Grafana
// dashboard: panel targets and template variables.
func dashboardMetrics(t *testing.T, path string) []string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("%s is not valid JSON: %v", path, err)
	}
	var names []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if s, ok := e.(string); ok && (k == "expr" || k == "query" || k == "definition") {
					names = append(names, metricName.FindAllString(s, -1)...)
				}
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(doc)
	if len(names) == 0 {
		t.Fatalf("%s queries no kq metric", path)
	}
	return names
}

// documentedKafkaMetrics returns the names in the first column of the
// Kafka metrics table of docs/metrics.md.
func documentedKafkaMetrics(t *testing.T, path string) []string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, line := range strings.Split(string(raw), "\n") {
		if first, ok := strings.CutPrefix(line, "| `kafka_"); ok {
			name, _, _ := strings.Cut(first, "`")
			names = append(names, "kafka_"+name)
		}
	}
	if len(names) == 0 {
		t.Fatalf("%s has no metrics table", path)
	}
	return names
}
