package compat

import (
	"bufio"
	"context"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/test/harness"
)

var kgoReadCommitted = kgo.ReadCommitted()

// TestTxnKcatReadCommitted: kcat (librdkafka) cannot produce
// transactionally, so franz-go commits, aborts and commits across three
// partitions, then leaves a fourth transaction open;
// `kcat -C -e -X isolation.level=read_committed` reads exactly the
// committed records at their offsets and stops at the last stable offset,
// before the open transaction, and read_uncommitted reads the aborted and
// the open records too.
func TestTxnKcatReadCommitted(t *testing.T) {
	const n = 20
	b := startTxnBroker(t)
	parts := createTopics(t, b.Admin(), map[string]int32{"kcat-txn": 3})
	cl := txnClient(t, b.Addr, "kcat-txn-producer")
	c1, a1, c2, open := labelled(parts, "c1", n), labelled(parts, "a1", n), labelled(parts, "c2", n), labelled(parts, "open", n)
	transact(t, cl, true, c1)
	transact(t, cl, false, a1)
	transact(t, cl, true, c2)
	waitStable(t, b.Admin(), "kcat-txn")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := cl.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	if err := cl.ProduceSync(ctx, open...).FirstErr(); err != nil {
		t.Fatal(err)
	}
	defer cl.EndTransaction(ctx, kgo.TryAbort)
	for _, level := range []string{"read_committed", "read_uncommitted"} {
		t.Run(level, func(t *testing.T) {
			got := kcatRead(t, b.Addr, "kcat-txn", level)
			for i, p := range parts {
				var want []string
				add := func(recs []*kgo.Record, from int64) {
					for j, r := range recs[i*n : (i+1)*n] {
						want = append(want, fmt.Sprintf("%d %s", from+int64(j), r.Value))
					}
				}
				add(c1, 0)
				if level == "read_uncommitted" {
					add(a1, n+1)
				}
				add(c2, 2*n+2)
				if level == "read_uncommitted" {
					add(open, 3*n+3)
				}
				if !slices.Equal(got[p.partition], want) {
					t.Errorf("%s: kcat %s read\n%q\nwant\n%q", p, level, got[p.partition], want)
				}
			}
		})
	}
}

// kcatRead reads a topic from the beginning to its end (-e) with an
// isolation level and returns "offset value" lines by partition.
func kcatRead(t *testing.T, addr, topic, level string) map[int32][]string {
	t.Helper()
	res := harness.Kcat(t, nil, "-b", addr, "-C", "-t", topic, "-o", "beginning", "-e", "-q",
		"-X", "isolation.level="+level, "-f", "%p %o %s\n")
	if res.Code != 0 {
		t.Fatalf("kcat -C: exit %d: %s", res.Code, res.Stderr)
	}
	got := map[int32][]string{}
	sc := bufio.NewScanner(strings.NewReader(res.Stdout))
	for sc.Scan() {
		var p int32
		var o int64
		var v string
		if _, err := fmt.Sscanf(sc.Text(), "%d %d %s", &p, &o, &v); err != nil {
			t.Fatalf("kcat line %q: %v", sc.Text(), err)
		}
		got[p] = append(got[p], fmt.Sprintf("%d %s", o, v))
	}
	return got
}

// systemPython is Debian's python3, where python3-confluent-kafka
// installs (a python3 earlier on PATH may be another installation).
func systemPython(t *testing.T) string {
	t.Helper()
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		path, err := exec.LookPath(py)
		if err != nil {
			continue
		}
		if exec.Command(path, "-c", "import confluent_kafka").Run() == nil {
			return path
		}
	}
	skipOrFail(t, "python3 with confluent_kafka is not installed (make test-deps installs python3-confluent-kafka)")
	return ""
}

// TestTxnConfluentPython: confluent-kafka-python (librdkafka's
// transactional producer) commits, aborts and commits across three
// partitions; its read_committed consumer and franz-go's read exactly the
// committed records, at the offsets the markers leave.
func TestTxnConfluentPython(t *testing.T) {
	const n, topic = 15, "py-txn"
	py := systemPython(t)
	dir := txnScriptDir(t)
	b := startTxnBroker(t)
	parts := createTopics(t, b.Admin(), map[string]int32{topic: 3})
	runScript(t, dir, py, "confluent_txn.py", "produce", b.Addr, topic, "3", "confluent-txn", fmt.Sprint(n))
	waitStable(t, b.Admin(), topic)
	writeSentinels(t, b.Addr, parts)
	checkScriptRead(t, runScript(t, dir, py, "confluent_txn.py", "consume", b.Addr, topic, "3"), "py", 3, n)
	checkFranzRead(t, b.Addr, topic, "py", 3, n)
}
