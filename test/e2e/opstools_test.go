package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kqhq/kq/test/harness"
)

// TestOperationsToolsAsKafkasScripts runs kq's spellings of
// kafka-get-offsets.sh, kafka-delete-records.sh, kafka-log-dirs.sh,
// kafka-broker-api-versions.sh and kafka-features.sh against a real broker
// and checks their output in Kafka's formats.
func TestOperationsToolsAsKafkasScripts(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	mustKQ(t, b, "", "topics", "create", "ops", "-p", "2", "-r", "1")
	mustKQ(t, b, "a\nb\nc\nd\n", "produce", "-t", "ops", "--partition", "0")

	if got := mustKQ(t, b, "", "get-offsets", "--topic", "ops"); got != "ops:0:4\nops:1:0\n" {
		t.Errorf("get-offsets latest: %q", got)
	}
	if got := mustKQ(t, b, "", "get-offsets", "--topic-partitions", "op.*:0", "--time", "earliest"); got != "ops:0:0\n" {
		t.Errorf("get-offsets earliest: %q", got)
	}
	if got := mustKQ(t, b, "", "get-offsets", "--topic", "ops", "--partitions", "0", "--time", "max-timestamp"); !strings.HasPrefix(got, "ops:0:") {
		t.Errorf("get-offsets max-timestamp: %q", got)
	}
	if res := kq(t, b, "", "get-offsets", "--topic", "nothing.*"); res.Code != 1 || !strings.Contains(res.Stderr, "Could not match any topic-partitions") {
		t.Errorf("get-offsets without a match: exit %d, %q", res.Code, res.Stderr)
	}

	plan := filepath.Join(t.TempDir(), "delete.json")
	if err := os.WriteFile(plan, []byte(`{"partitions":[{"topic":"ops","partition":0,"offset":3}],"version":1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	want := "Executing records delete operation\nRecords delete operation completed:\npartition: ops-0\tlow_watermark: 3\n"
	if got := mustKQ(t, b, "", "delete-records", "--offset-json-file", plan); got != want {
		t.Errorf("delete-records: %q, want %q", got, want)
	}
	if got := mustKQ(t, b, "", "get-offsets", "--topic", "ops", "--partitions", "0", "--time", "-2"); got != "ops:0:3\n" {
		t.Errorf("log start after delete-records: %q", got)
	}

	dirs := mustKQ(t, b, "", "log-dirs", "--describe", "--broker-list", "1", "--topic-list", "ops")
	head, doc, _ := strings.Cut(dirs, "\nReceived log directory information from brokers 1\n")
	if head != "Querying brokers for log directories information" {
		t.Fatalf("log-dirs:\n%s", dirs)
	}
	var parsed struct {
		Version int `json:"version"`
		Brokers []struct {
			Broker  int `json:"broker"`
			LogDirs []struct {
				LogDir     string  `json:"logDir"`
				Error      *string `json:"error"`
				Partitions []struct {
					Partition string `json:"partition"`
					Size      int64  `json:"size"`
				} `json:"partitions"`
			} `json:"logDirs"`
		} `json:"brokers"`
	}
	if err := json.Unmarshal([]byte(doc), &parsed); err != nil || !strings.HasPrefix(doc, `{"brokers":[{"broker":1,"logDirs":[{"partitions":[`) {
		t.Fatalf("log-dirs document %q: %v", doc, err)
	}
	d := parsed.Brokers[0].LogDirs[0]
	if parsed.Version != 1 || d.Error != nil || len(d.Partitions) != 2 || d.Partitions[0].Partition != "ops-0" || d.Partitions[0].Size == 0 {
		t.Errorf("log-dirs: %+v", parsed)
	}
	if res := kq(t, b, "", "log-dirs", "--describe", "--broker-list", "9"); res.Code != 1 ||
		!strings.Contains(res.Stderr, "The given brokers do not exist from --broker-list: 9. Current existent brokers: 1") {
		t.Errorf("log-dirs for a broker that does not exist: exit %d, %q", res.Code, res.Stderr)
	}

	versions := mustKQ(t, b, "", "broker-api-versions")
	for _, want := range []string{b.Addr + " (id: 1 rack: null) -> (\n\tProduce(0): 0 to ", "\tApiVersions(18): 0 to ", " [usable: ", "\n)\n"} {
		if !strings.Contains(versions, want) {
			t.Errorf("broker-api-versions lacks %q:\n%s", want, versions)
		}
	}
	if res := kq(t, b, "", "features", "describe"); res.Code != 0 || strings.Contains(res.Stdout, "\n") && !strings.HasPrefix(res.Stdout, "Feature: ") {
		t.Errorf("features describe: exit %d\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
}
