package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/test/harness"
)

// TestWholeTopicFilterAndExport produces 100,000 JSON records, filters the
// whole topic from the Messages view of `kq tui` (which loaded only the
// newest 100 of each partition), checks the matches are those kq consume
// --filter prints for the same expression, and exports a filtered
// partition, whose file must equal kq consume -o json's output for it.
// It logs how long the scan took; it asserts no time.
func TestWholeTopicFilterAndExport(t *testing.T) {
	cluster, addrs := harness.StartLocalCluster(t, 1, nil)
	kq(t, "-b", cluster.Addr, "topics", "create", "events", "-p", "4", "-r", "1")
	const total = 100_000
	var lines strings.Builder
	for i := range total {
		fmt.Fprintf(&lines, "user-%d:{\"n\":%d,\"kind\":\"%s\"}\n", i, i, []string{"view", "click", "buy"}[i%3])
	}
	res := harness.KQ(t, strings.NewReader(lines.String()), "-b", cluster.Addr, "produce", "-t", "events",
		"--property", "parse.key=true", "--property", "key.separator=:")
	if res.Code != 0 {
		t.Fatalf("produce: exit %d: %s", res.Code, res.Stderr)
	}

	p := startPane(t, 160, 40, harness.Binary(t), "tui", "-b", strings.Join(addrs, ","), "--refresh", "1s")
	p.waitFor(30*time.Second, "the topics view", contains("events", "● live"))
	p.keys(":")
	p.keys(strings.Split("messages events", "")...)
	p.keys("Enter")
	p.waitFor(30*time.Second, "the newest records", contains("events (all partitions) › messages", "400 held"))

	// / finds nothing among the records loaded: enter goes on over the
	// whole topic (bug 9).
	p.keys("/")
	p.keys(strings.Split("user-77777", "")...)
	p.keys("Enter")
	p.waitFor(10*time.Second, "the offer", contains("no match in the 400 records held: enter searches the whole topic"))
	p.keys("Enter")
	p.waitFor(120*time.Second, "the search over the topic", contains(`filter "user-77777"`, "100,000 scanned · 1 matched", "user-77777"))
	p.keys("Escape")
	p.waitFor(30*time.Second, "the newest again", contains("newest 100 per partition", "400 held"))

	// The whole topic: matches in every partition, far from the newest.
	const expr = `$.n<40 and $.kind=buy or key=user-77777`
	p.keys("f")
	p.keys(strings.Split(expr, "")...)
	began := time.Now()
	p.keys("Enter")
	screen := p.waitFor(120*time.Second, "the filter to read the topic",
		contains("✓ filter read the range in", "100,000 scanned · 14 matched", "14 held"))
	t.Logf("whole-topic filter over %d records: %v on the wall clock (keys to screen); the view says:\n%s",
		total, time.Since(began).Round(time.Millisecond), statusLine(screen))
	p.save("messages-filter")

	all := filepath.Join(t.TempDir(), "all.jsonl")
	p.keys("w", "C-u")
	p.keys(strings.Split(all, "")...)
	p.keys("Enter")
	p.waitFor(10*time.Second, "the export", contains("exported 14 records to "+all))
	cli := harness.KQ(t, nil, "-b", cluster.Addr, "consume", "-t", "events", "--from-beginning", "--exit-at-end",
		"-o", "json", "--filter", expr)
	if cli.Code != 0 {
		t.Fatalf("consume --filter: exit %d: %s", cli.Code, cli.Stderr)
	}
	got, err := os.ReadFile(all)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := sortedLines(string(got)), sortedLines(cli.Stdout); !slices.Equal(g, w) || len(g) != 14 {
		t.Fatalf("the TUI's matches:\n%s\nkq consume --filter's:\n%s", got, cli.Stdout)
	}

	// One partition: the export is byte for byte what kq consume prints.
	p.keys("f", "C-u")
	p.keys(strings.Split("partition=2 and $.kind=click", "")...)
	p.keys("Enter")
	screen = p.waitFor(120*time.Second, "the partition filter", contains("filter partition=2 and $.kind=click", "✓ filter read the range in"))
	t.Logf("one partition (the filter reads partition 2 alone): %s", statusLine(screen))
	one := filepath.Join(t.TempDir(), "partition2.jsonl")
	p.keys("w", "C-u")
	p.keys(strings.Split(one, "")...)
	p.keys("Enter")
	p.waitFor(10*time.Second, "the export", contains("exported ", "records to "+one))
	want := harness.KQ(t, nil, "-b", cluster.Addr, "consume", "-t", "events", "-p", "2", "--from-beginning",
		"--exit-at-end", "-o", "json", "--filter", "$.kind=click")
	got, err = os.ReadFile(one)
	if err != nil || want.Code != 0 {
		t.Fatalf("read the export: %v; consume: exit %d %s", err, want.Code, want.Stderr)
	}
	if n := strings.Count(want.Stdout, "\n"); n == 0 || !strings.Contains(screen, fmt.Sprintf("%s matched", count(n))) {
		t.Fatalf("kq consume matched %d; the view:\n%s", n, screen)
	}
	if string(got) != want.Stdout {
		t.Fatalf("export differs from kq consume -o json (%d and %d bytes):\n%.300s\n%.300s", len(got), len(want.Stdout), got, want.Stdout)
	}

	p.keys("Escape") // the filter, read to the end: cleared, the view back to the newest
	p.waitFor(30*time.Second, "the unfiltered view", contains("newest 100 per partition", "400 held"))
	p.keys("q")
	if status := p.exitStatus(10 * time.Second); status != 0 {
		t.Fatalf("kq tui exited %d", status)
	}
}

func sortedLines(s string) []string {
	out := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	slices.Sort(out)
	return out
}

// count formats n as the TUI does: 12,345.
func count(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// statusLine is the line with the filter's outcome.
func statusLine(screen string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, "filter read the range") {
			return strings.TrimSpace(l)
		}
	}
	return ""
}
