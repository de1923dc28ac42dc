package e2e

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/kqhq/kq/test/harness"
)

func kq(t *testing.T, b *harness.Broker, stdin string, args ...string) harness.Result {
	t.Helper()
	var in *strings.Reader
	if stdin != "" {
		in = strings.NewReader(stdin)
	}
	args = append([]string{"--bootstrap-server", b.Addr}, args...)
	var res harness.Result
	if in != nil {
		res = harness.KQ(t, in, args...)
	} else {
		res = harness.KQ(t, nil, args...)
	}
	return res
}

func mustKQ(t *testing.T, b *harness.Broker, stdin string, args ...string) string {
	t.Helper()
	res := kq(t, b, stdin, args...)
	if res.Code != 0 {
		t.Fatalf("kq %s: exit %d\nstderr: %s", strings.Join(args, " "), res.Code, res.Stderr)
	}
	return res.Stdout
}

// lines returns n distinct lines, some with tabs, unicode and separators.
func lines(n int) string {
	var sb strings.Builder
	for i := range n {
		fmt.Fprintf(&sb, "line %06d\tτ=%d:%s\n", i, i%13, strings.Repeat("x", i%50))
	}
	return sb.String()
}

func sortedLines(s string) []string {
	out := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	sort.Strings(out)
	return out
}

func TestHundredThousandLinesRoundTripAndSurviveRestart(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	mustKQ(t, b, "", "topics", "--create", "--topic", "lines", "--partitions", "3", "--replication-factor", "1")
	in := lines(100000)
	mustKQ(t, b, in, "produce", "--topic", "lines")

	read := func() string {
		return mustKQ(t, b, "", "consume", "--topic", "lines", "--from-beginning", "--max-messages", "100000", "--timeout-ms", "20000")
	}
	check := func(out string) {
		t.Helper()
		got, want := sortedLines(out), sortedLines(in)
		if len(got) != len(want) {
			t.Fatalf("consumed %d lines, want %d", len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("line %d differs: %q vs %q", i, got[i], want[i])
			}
		}
	}
	check(read())
	checkPartitionOrder(t, b)

	if err := b.Stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	b.Start()
	check(read())
}

// checkPartitionOrder reads each partition with offsets and checks the
// lines come back in the order they were produced.
func checkPartitionOrder(t *testing.T, b *harness.Broker) {
	t.Helper()
	for p := range 3 {
		out := mustKQ(t, b, "", "consume", "--topic", "lines", "--partition", fmt.Sprint(p), "--offset", "start",
			"--exit-at-end", "--property", "print.offset=true")
		prevOffset, prevLine := int64(-1), ""
		for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			offStr, rest, _ := strings.Cut(l, "\t")
			var off int64
			if _, err := fmt.Sscanf(strings.TrimPrefix(offStr, "Offset:"), "%d", &off); err != nil {
				t.Fatalf("partition %d: no offset in %q", p, l)
			}
			if off <= prevOffset || rest < prevLine {
				t.Fatalf("partition %d out of order at offset %d: %q after %q", p, off, rest, prevLine)
			}
			prevOffset, prevLine = off, rest
		}
	}
}

func TestJSONRoundTripCopiesATopicExactly(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	mustKQ(t, b, "", "topics", "create", "src", "-p", "2", "-r", "1")
	mustKQ(t, b, "", "topics", "create", "dst", "-p", "2", "-r", "1")
	var in strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&in, "k%d:v%d \x01binary\n", i%10, i)
	}
	mustKQ(t, b, in.String(), "produce", "--topic", "src", "--property", "parse.key=true", "--property", "key.separator=:")
	src := mustKQ(t, b, "", "consume", "--topic", "src", "--from-beginning", "--exit-at-end", "-o", "json")
	copyIn := strings.ReplaceAll(src, `"topic":"src"`, `"topic":"dst"`)
	mustKQ(t, b, copyIn, "produce", "--topic", "dst", "--input", "json")
	dst := mustKQ(t, b, "", "consume", "--topic", "dst", "--from-beginning", "--exit-at-end", "-o", "json")
	strip := func(s string) []string {
		s = strings.ReplaceAll(s, `"topic":"dst"`, `"topic":"src"`)
		return sortedLines(dropField(s, "timestamp"))
	}
	got, want := strip(dst), strip(src)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("copy differs:\nsrc %.300s\ndst %.300s", strings.Join(want, "\n"), strings.Join(got, "\n"))
	}
}

// dropField removes a numeric JSON field ("name":123,) from every line, for
// fields a copy may legitimately change.
func dropField(s, name string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		i := strings.Index(l, `"`+name+`":`)
		if i < 0 {
			out = append(out, l)
			continue
		}
		j := i + len(name) + 3
		for j < len(l) && (l[j] == '-' || (l[j] >= '0' && l[j] <= '9')) {
			j++
		}
		out = append(out, l[:i]+l[j:])
	}
	return strings.Join(out, "\n")
}

func TestCLIErrorsExitNonZero(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Props: map[string]string{"auto.create.topics.enable": "false"}})
	tests := []struct {
		name string
		args []string
	}{
		{"produce to missing topic without auto-create", []string{"produce", "--topic", "missing"}},
		{"create without --topic", []string{"topics", "--create", "--partitions", "1"}},
		{"unknown flag", []string{"topics", "--list", "--no-such-flag"}},
		{"describe missing topic", []string{"topics", "--describe", "--topic", "missing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := kq(t, b, "x\n", tt.args...)
			if res.Code == 0 || res.Stderr == "" {
				t.Fatalf("exit %d, stderr %q: want a non-zero exit and a message", res.Code, res.Stderr)
			}
		})
	}
	down := harness.KQ(t, strings.NewReader("x\n"), "--bootstrap-server", fmt.Sprintf("127.0.0.1:%d", harness.FreePort(t)),
		"produce", "--topic", "t", "-X", "delivery.timeout.ms=3000")
	if down.Code == 0 {
		t.Fatalf("produce to a server that is down exited 0")
	}
}
