package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kqhq/kq/test/harness"
)

// TestDumpLogReadsTheBrokersFiles writes records, a consumer group's
// offsets and a transaction through a real broker, stops it, and reads its
// files back with kq dump-log as kafka-dump-log.sh prints them.
func TestDumpLogReadsTheBrokersFiles(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Props: map[string]string{
		"offsets.topic.replication.factor":         "1",
		"offsets.topic.num.partitions":             "1",
		"transaction.state.log.replication.factor": "1",
		"transaction.state.log.num.partitions":     "1",
		"transaction.state.log.min.isr":            "1",
	}})
	mustKQ(t, b, "", "topics", "create", "t", "-p", "1", "-r", "1")
	mustKQ(t, b, "k1:v1\nk2:v2\n", "produce", "-t", "t", "--property", "parse.key=true", "--property", "key.separator=:")
	mustKQ(t, b, "tx\n", "produce", "-t", "t", "--transactional-id", "dump-tx")
	mustKQ(t, b, "", "consume", "-t", "t", "--group", "dump-g", "--from-beginning", "--exit-at-end")
	if err := b.Stop(); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(b.DataDir, "logs")
	seg := filepath.Join(dir, "t-0", "00000000000000000000")

	out := dump(t, "--files", seg+".log", "--print-data-log")
	for _, want := range []string{
		"Dumping " + seg + ".log\nLog starting offset: 0\nbaseOffset: 0 lastOffset: 1 count: 2 ",
		"| offset: 0 CreateTime: ",
		" keySize: 2 valueSize: 2 sequence: 0 headerKeys: [] key: k1 payload: v1\n",
		"isTransactional: true isControl: false",
		"payload: tx\n",
		"isTransactional: true isControl: true",
		" endTxnMarker: COMMIT coordinatorEpoch: ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dump of the segment lacks %q:\n%s", want, out)
		}
	}
	// A cleanly closed segment's indexes are trimmed: nothing to report.
	res := harness.KQ(t, nil, "dump-log", "--files", seg+".index,"+seg+".timeindex", "--verify-index-only")
	if res.Code != 0 || res.Stderr != "" || res.Stdout != "Dumping "+seg+".index\n"+seg+".index is empty.\nDumping "+seg+".timeindex\n" {
		t.Errorf("verify the indexes: exit %d\nstdout %q\nstderr %q", res.Code, res.Stdout, res.Stderr)
	}

	offsets := dump(t, "--offsets-decoder", "--files", filepath.Join(dir, "__consumer_offsets-0", "00000000000000000000.log"))
	for _, want := range []string{`key: {"type":"2","data":{"group":"dump-g"}} payload: {"version":"`,
		`key: {"type":"1","data":{"group":"dump-g","topic":"t","partition":0}} payload: {"version":"3","data":{"offset":`} {
		if !strings.Contains(offsets, want) {
			t.Errorf("offsets decoder lacks %q:\n%s", want, offsets)
		}
	}
	txns := dump(t, "--transaction-log-decoder", "--files", filepath.Join(dir, "__transaction_state-0", "00000000000000000000.log"))
	if !strings.Contains(txns, "key: transaction_metadata::transactionalId=dump-tx payload: producerId:") ||
		!strings.Contains(txns, ",state=CompleteCommit,partitions=[],") || !strings.Contains(txns, ",state=Ongoing,partitions=[t-0],") {
		t.Errorf("transaction log decoder:\n%s", txns)
	}

	// A torn tail is reported, not a failure; garbage is never a crash.
	torn := filepath.Join(t.TempDir(), "00000000000000000000.log")
	data, err := os.ReadFile(seg + ".log")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(torn, data[:len(data)-5], 0o644); err != nil {
		t.Fatal(err)
	}
	res = harness.KQ(t, nil, "dump-log", "--files", torn, "--deep-iteration")
	if res.Code != 0 || !strings.Contains(res.Stdout, "invalid bytes at the end of 00000000000000000000.log") {
		t.Errorf("torn segment: exit %d\n%s\n%s", res.Code, res.Stdout, res.Stderr)
	}
}

func dump(t *testing.T, args ...string) string {
	t.Helper()
	res := harness.KQ(t, nil, append([]string{"dump-log"}, args...)...)
	if res.Code != 0 {
		t.Fatalf("kq dump-log %s: exit %d\n%s", strings.Join(args, " "), res.Code, res.Stderr)
	}
	return res.Stdout
}
