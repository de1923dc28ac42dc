package compat

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// clientsRequired: on CI (KQ_REQUIRE_ZK=1) or with KQ_REQUIRE_CLIENTS=1 a
// missing client fails the test instead of skipping it.
func clientsRequired() bool {
	return os.Getenv("KQ_REQUIRE_ZK") == "1" || os.Getenv("KQ_REQUIRE_CLIENTS") == "1"
}

func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if clientsRequired() {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

// txnScriptDir holds the python and node scripts and the kafkajs lock.
func txnScriptDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", "txn"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// runScript runs a client script and returns its stdout; a non-zero exit
// fails the test with its stderr.
func runScript(t *testing.T, dir, bin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\nstderr:\n%s\nstdout:\n%s", filepath.Base(bin), strings.Join(args, " "), err, stderr.String(), out)
	}
	return string(out)
}

// scriptRecord is one record a script's read_committed consumer printed.
type scriptRecord struct {
	P int32  `json:"p"`
	O int64  `json:"o"`
	V string `json:"v"`
}

// checkScriptRead checks what a script's consumer printed (JSON lines)
// against what its producer committed: per partition, the n records
// "<prefix>-c1-<p>-<i>" at offsets 0..n-1 and "<prefix>-c2-<p>-<i>" at
// 2n+2.. (past the aborted "a1" transaction and two markers).
func checkScriptRead(t *testing.T, out, prefix string, partitions int32, n int) {
	t.Helper()
	got := map[int32][]scriptRecord{}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var r scriptRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("consumer output line %q: %v", sc.Text(), err)
		}
		got[r.P] = append(got[r.P], r)
	}
	for p := range partitions {
		want := scriptCommitted(prefix, p, n)
		if !slices.Equal(got[p], want) {
			t.Errorf("partition %d read_committed:\n got %v\nwant %v", p, got[p], want)
		}
	}
}

// scriptCommitted is what a script's producer commits to partition p.
func scriptCommitted(prefix string, p int32, n int) []scriptRecord {
	var want []scriptRecord
	for i := range n {
		want = append(want, scriptRecord{P: p, O: int64(i), V: fmt.Sprintf("%s-c1-%d-%d", prefix, p, i)})
	}
	for i := range n {
		want = append(want, scriptRecord{P: p, O: int64(2*n + 2 + i), V: fmt.Sprintf("%s-c2-%d-%d", prefix, p, i)})
	}
	return want
}

// checkFranzRead reads the topic with franz-go under read_committed up to
// the sentinels and checks it holds what the script committed.
func checkFranzRead(t *testing.T, addr, topic, prefix string, partitions int32, n int) {
	t.Helper()
	var parts []tp
	for p := range partitions {
		parts = append(parts, tp{topic, p})
	}
	got := readToSentinels(t, addr, parts, kgoReadCommitted)
	for _, p := range parts {
		var recs []scriptRecord
		for _, r := range got[p] {
			recs = append(recs, scriptRecord{P: r.Partition, O: r.Offset, V: string(r.Value)})
		}
		if want := scriptCommitted(prefix, p.partition, n); !slices.Equal(recs, want) {
			t.Errorf("%s franz-go read_committed:\n got %v\nwant %v", p, recs, want)
		}
	}
}
