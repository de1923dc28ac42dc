package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
)

// kq runs one invocation against the broker at bootstrap and returns its
// exit code, stdout and stderr.
func kq(t *testing.T, bootstrap, stdin string, args ...string) (int, string, string) {
	t.Helper()
	ios, in, out, errOut := iostreams.Test()
	in.WriteString(stdin)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	code := Run(ctx, append([]string{"-b", bootstrap}, args...), ios, env(map[string]string{"HOME": t.TempDir()}))
	return code, out.String(), errOut.String()
}

// TestEndToEnd drives the commands against a real broker when
// KQ_E2E_BOOTSTRAP names one (host:port); without it there is nothing to
// talk to and the test is skipped.
func TestEndToEnd(t *testing.T) {
	bootstrap := os.Getenv("KQ_E2E_BOOTSTRAP")
	if bootstrap == "" {
		t.Skip("set KQ_E2E_BOOTSTRAP=host:port to run against a broker")
	}
	topic := fmt.Sprintf("e2e-%d", time.Now().UnixNano())
	copyTopic := topic + "-copy"
	must := func(code int, out, errOut string) string {
		t.Helper()
		if code != 0 {
			t.Fatalf("exit %d, stderr %q", code, errOut)
		}
		return out
	}
	must(kq(t, bootstrap, "", "topics", "--create", "--topic", topic, "--partitions", "3", "--replication-factor", "1"))
	must(kq(t, bootstrap, "", "topics", "create", copyTopic, "-p", "3"))
	defer kq(t, bootstrap, "", "topics", "delete", topic, copyTopic)

	var lines strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&lines, "k%d:v%d\n", i, i)
	}
	must(kq(t, bootstrap, lines.String(), "produce", "--topic", topic, "--property", "parse.key=true", "--property", "key.separator=:"))
	got := must(kq(t, bootstrap, "", "consume", topic, "--from-beginning", "--max-messages", "1000", "--property", "print.key=true", "--property", "key.separator=:"))
	if n := strings.Count(got, "\n"); n != 1000 {
		t.Fatalf("consumed %d lines", n)
	}
	jsonLines := must(kq(t, bootstrap, "", "consume", topic, "--from-beginning", "--exit-at-end", "-o", "json"))
	must(kq(t, bootstrap, jsonLines, "produce", "--input", "json", "--topic", copyTopic))
	copied := must(kq(t, bootstrap, "", "consume", copyTopic, "--from-beginning", "--exit-at-end", "-o", "json"))
	if want := strings.ReplaceAll(jsonLines, `"topic":"`+topic+`"`, `"topic":"`+copyTopic+`"`); !bytes.Equal([]byte(sortLines(copied)), []byte(sortLines(want))) {
		t.Fatal("consume -o json | produce --input json did not copy the topic exactly")
	}
	desc := must(kq(t, bootstrap, "", "topics", "--describe", "--topic", topic))
	if !strings.HasPrefix(desc, "Topic: "+topic+"\tTopicId: ") || strings.Count(desc, "\tPartition: ") != 3 {
		t.Fatalf("describe:\n%s", desc)
	}
	if code, _, _ := kq(t, bootstrap, "", "topics", "--describe", "--topic", topic+"-missing"); code != 3 {
		t.Fatalf("describing a missing topic exited %d", code)
	}
}

func sortLines(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}
