package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kqhq/kq/test/harness"
)

// Kafka 3.9's console producer still takes the deprecated --broker-list:
// kq reaches the cluster with it, warns as Kafka does, and ignores it when
// --bootstrap-server is given too.
func TestProduceTakesBrokerList(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	res := harness.KQ(t, strings.NewReader("a\nb\n"), "produce", "--broker-list", b.Addr, "--topic", "listed")
	if res.Code != 0 || !strings.Contains(res.Stderr, "--broker-list is deprecated") || res.Stdout != "" {
		t.Fatalf("produce --broker-list: exit %d\nstdout: %s\nstderr: %s", res.Code, res.Stdout, res.Stderr)
	}
	res = harness.KQ(t, strings.NewReader("c\n"), "produce", "--bootstrap-server", b.Addr,
		"--broker-list", "127.0.0.1:1", "--topic", "listed")
	if res.Code != 0 {
		t.Fatalf("produce with both: exit %d\nstderr: %s", res.Code, res.Stderr)
	}
	got := mustKQ(t, b, "", "consume", "--topic", "listed", "--from-beginning", "--max-messages", "3", "--timeout-ms", "20000")
	if got != "a\nb\nc\n" {
		t.Fatalf("consumed %q", got)
	}
}

// kafka-topics --create without --partitions or --replication-factor
// takes the broker's num.partitions and default.replication.factor, as
// Kafka 3.9 does with --bootstrap-server.
func TestCreateTopicTakesTheBrokersDefaults(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Props: map[string]string{"num.partitions": "4"}})
	res := kq(t, b, "", "topics", "--create", "--topic", "defaulted")
	if res.Code != 0 {
		t.Fatalf("create: exit %d\nstderr: %s", res.Code, res.Stderr)
	}
	out := mustKQ(t, b, "", "topics", "--describe", "--topic", "defaulted", "-o", "json")
	if !strings.Contains(out, `"partition_count": 4`) {
		t.Fatalf("describe: %s", out)
	}
}

// kafka-server-start.sh takes the properties file as its argument: so does
// kq server, and a file given twice is a usage error.
func TestServerTakesThePropertiesFileAsItsArgument(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 7, ConfigAsArgument: true,
		Props: map[string]string{"num.partitions": "2"}})
	mustKQ(t, b, "a\n", "produce", "--topic", "from-file")
	out := mustKQ(t, b, "", "topics", "--describe", "--topic", "from-file", "-o", "json")
	if !strings.Contains(out, `"partition_count": 2`) {
		t.Fatalf("the file's num.partitions was not read: %s", out)
	}
	res := harness.KQ(t, nil, "server", "a.properties", "--config", "b.properties")
	if res.Code != 2 || !strings.Contains(res.Stderr, "give the properties file once") {
		t.Fatalf("file twice: exit %d\nstderr: %s", res.Code, res.Stderr)
	}
}

// kafka-server-start.sh -daemon detaches the broker with its output in
// LOG_DIR/kafkaServer.out. kq returns once the broker serves, and when the
// broker cannot start it says why instead of leaving a dead daemon behind.
func TestServerDaemonDetachesOnceServing(t *testing.T) {
	logDir := t.TempDir()
	t.Setenv("LOG_DIR", logDir)
	port := harness.FreePort(t)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	res := harness.KQWithin(t, 60*time.Second, "server", "-daemon", "--listeners", "PLAINTEXT://"+addr,
		"--log-dirs", t.TempDir())
	pid := daemonPID(t, res)
	t.Cleanup(func() { stopDaemon(t, pid) })
	if res.Code != 0 {
		t.Fatalf("server -daemon: exit %d\nstderr: %s", res.Code, res.Stderr)
	}
	harness.KQ(t, strings.NewReader("detached\n"), "produce", "--bootstrap-server", addr, "--topic", "d")
	got := harness.KQ(t, nil, "consume", "--bootstrap-server", addr, "--topic", "d", "--from-beginning",
		"--max-messages", "1", "--timeout-ms", "20000")
	if got.Stdout != "detached\n" {
		t.Fatalf("consume from the detached broker: %q (stderr %s)", got.Stdout, got.Stderr)
	}
	out, err := os.ReadFile(filepath.Join(logDir, "kafkaServer.out"))
	if err != nil || !strings.Contains(string(out), "kq broker started") {
		t.Fatalf("kafkaServer.out: %v\n%s", err, out)
	}

	res = harness.KQWithin(t, 60*time.Second, "server", "-daemon", "--listeners", "PLAINTEXT://127.0.0.1:0",
		"--log-dirs", t.TempDir(), "--override", "num.partitions=x")
	if res.Code != 1 || !strings.Contains(res.Stderr, "exited during start-up") ||
		!strings.Contains(res.Stderr, "num.partitions") {
		t.Fatalf("bad config with -daemon: exit %d\nstderr: %s", res.Code, res.Stderr)
	}
}

// daemonPID reads the pid `kq server -daemon` reports, 0 when it reported none.
func daemonPID(t *testing.T, res harness.Result) int {
	t.Helper()
	m := regexp.MustCompile(`\(pid (\d+)\)`).FindStringSubmatch(res.Stderr)
	if m == nil {
		return 0
	}
	pid, _ := strconv.Atoi(m[1])
	return pid
}

// stopDaemon stops a detached broker with SIGTERM and waits for it to exit.
func stopDaemon(t *testing.T, pid int) {
	if pid == 0 {
		return
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		return // already gone
	}
	harness.Eventually(t, 30*time.Second, "the detached broker to exit", func() error {
		if syscall.Kill(pid, 0) == nil {
			return fmt.Errorf("pid %d still runs", pid)
		}
		return nil
	})
}
