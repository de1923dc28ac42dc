package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kqhq/kq/test/harness"
)

// TestReadmeKafkaScriptsRunAsWritten runs the README's "From Kafka's
// scripts to kq" block, line by line, against a real broker: only the
// address, the log dir and the binary's path are substituted.
func TestReadmeKafkaScriptsRunAsWritten(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	block := readmeBlock(t, string(readme), "## From Kafka's scripts to kq")
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Props: map[string]string{"offsets.topic.replication.factor": "1"}})
	dir := t.TempDir()
	bin := harness.Binary(t)
	for _, line := range strings.Split(block, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		cmdline := strings.NewReplacer("./kq ", bin+" ", "localhost:9092", b.Addr,
			"/tmp/kafka-logs", filepath.Join(b.DataDir, "logs")).Replace(line)
		cmd := exec.Command("sh", "-c", cmdline)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s\n%v\n%s", line, err, out)
		}
	}
}

// readmeBlock is the first ```sh block after heading.
func readmeBlock(t *testing.T, readme, heading string) string {
	t.Helper()
	_, after, ok := strings.Cut(readme, "\n"+heading+"\n")
	if !ok {
		t.Fatalf("README has no %q", heading)
	}
	_, after, ok = strings.Cut(after, "```sh\n")
	if !ok {
		t.Fatalf("no sh block under %q", heading)
	}
	block, _, _ := strings.Cut(after, "```")
	return block
}
