package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/test/harness"
)

// TestProduceThenSee produces a record from `kq tui` (the partition given,
// a key, a header, the value written in $EDITOR, a script here), reads it
// in the Messages view, resends it from there with R, and checks both with
// `kq consume -o json`.
func TestProduceThenSee(t *testing.T) {
	cluster, addrs := harness.StartLocalCluster(t, 3, nil)
	kq(t, "-b", cluster.Addr, "topics", "create", "events", "-p", "2", "-r", "3")
	editor := filepath.Join(t.TempDir(), "editor.sh")
	script := "#!/bin/sh\nprintf '{\"edited\":true}\\n' > \"$1\"\n"
	if err := os.WriteFile(editor, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	p := startPane(t, 120, 32, "env", "VISUAL=", "EDITOR="+editor, harness.Binary(t), "tui",
		"-b", strings.Join(addrs, ","), "--refresh", "500ms")
	p.waitFor(30*time.Second, "the topics view", contains("events", "● live"))

	palette(p, "produce events 1")
	p.waitFor(10*time.Second, "the key prompt", contains("Produce to events", "key:"))
	p.keys(strings.Split("user-9", "")...)
	p.keys("Enter")
	p.keys(strings.Split("src=tui", "")...)
	p.keys("Enter")
	p.keys("C-e") // the value, in the editor
	p.waitFor(20*time.Second, "the preview", contains("Produce this record to events?", "value of 15 bytes"))
	p.save("produce-preview")
	p.keys("y")
	p.waitFor(20*time.Second, "the outcome", contains("produced to events partition 1 at offset 0"))

	palette(p, "messages events 1 oldest")
	p.waitFor(30*time.Second, "the record in the Messages view", contains("events-1 › messages", "user-9", `{"edited":true}`))
	p.keys("R")
	p.waitFor(10*time.Second, "the resend dialog", contains("Produce to events", "partition: 1"))
	p.keys("Enter", "Enter", "Enter", "Enter") // partition, key, headers, value as they were
	p.waitFor(10*time.Second, "the resend preview", contains("Produce this record to events?"))
	p.keys("y")
	p.waitFor(20*time.Second, "the resent record in the Messages view", contains("events-1 › messages", "2 held"))
	p.save("produce-resent")

	got := harness.KQ(t, nil, "-b", cluster.Addr, "consume", "-t", "events", "-p", "1", "--offset", "0",
		"--max-messages", "2", "-o", "json")
	if got.Code != 0 {
		t.Fatalf("consume: exit %d: %s", got.Code, got.Stderr)
	}
	lines := strings.Split(strings.TrimSpace(got.Stdout), "\n")
	if len(lines) != 2 {
		t.Fatalf("kq consume read %d records, want 2:\n%s", len(lines), got.Stdout)
	}
	for i, l := range lines {
		for _, want := range []string{`"key":"user-9"`, `edited`, `"src"`, `"tui"`} {
			if !strings.Contains(l, want) {
				t.Errorf("record %d lacks %s: %s", i, want, l)
			}
		}
	}
	p.keys("Escape", "q")
	if status := p.exitStatus(10 * time.Second); status != 0 {
		t.Fatalf("kq tui exited %d", status)
	}
}

// TestConfigEditSeenByDescribe sets a topic config in `kq tui` (a value the
// broker refuses first: the preview says so), sees it in `kq configs
// --describe`, then deletes the override from the TUI and sees it gone.
func TestConfigEditSeenByDescribe(t *testing.T) {
	cluster, addrs := harness.StartLocalCluster(t, 3, nil)
	kq(t, "-b", cluster.Addr, "topics", "create", "orders", "-p", "1", "-r", "3")
	p := startPane(t, 120, 32, harness.Binary(t), "tui", "-b", strings.Join(addrs, ","), "--refresh", "500ms")
	p.waitFor(30*time.Second, "the topics view", contains("orders", "● live"))

	palette(p, "configs orders")
	p.waitFor(20*time.Second, "the configs of orders", contains("orders › configs", "retention.ms", "DEFAULT_CONFIG"))
	palette(p, "set-config retention.ms abc") // the broker's refusal, in the preview
	p.waitFor(10*time.Second, "the refusal", contains("the broker would refuse it", "INVALID_CONFIG", "Nothing was changed"))
	p.save("config-edit-refused")
	p.keys("x")
	palette(p, "set-config retention.ms 3600000")
	p.waitFor(10*time.Second, "the preview", contains("then  retention.ms = 3600000  (DYNAMIC_TOPIC_CONFIG)"))
	p.save("config-edit-preview")
	p.keys("y")
	p.waitFor(20*time.Second, "the override in the view", contains("set retention.ms of topic orders", "✎ retention.ms"))
	p.save("configs")

	describe := func() string {
		res := harness.KQ(t, nil, "-b", cluster.Addr, "configs", "--describe", "--topic", "orders")
		if res.Code != 0 {
			t.Fatalf("kq configs --describe: exit %d: %s", res.Code, res.Stderr)
		}
		return res.Stdout
	}
	if out := describe(); !strings.Contains(out, "retention.ms=3600000") {
		t.Fatalf("kq configs --describe does not show the edit:\n%s", out)
	}

	palette(p, "set-config retention.ms")
	p.waitFor(10*time.Second, "the value prompt", contains("new value: 3600000"))
	p.keys("C-u", "Enter") // empty: delete the override
	p.waitFor(10*time.Second, "the delete preview", contains("Delete retention.ms from topic orders?"))
	p.keys("y")
	p.waitFor(20*time.Second, "the default again", contains("deleted retention.ms from topic orders"))
	if out := describe(); strings.Contains(out, "retention.ms") {
		t.Fatalf("kq configs --describe still shows retention.ms:\n%s", out)
	}
	p.keys("q")
	if status := p.exitStatus(10 * time.Second); status != 0 {
		t.Fatalf("kq tui exited %d", status)
	}
}

// palette runs a command in the palette once it is open: keys typed
// before the TUI reads the colon can arrive with it as one key, which
// nothing binds.
func palette(p *pane, line string) {
	p.t.Helper()
	p.keys(":")
	p.waitFor(10*time.Second, "the palette", func(screen string) error {
		lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
		if last := lines[len(lines)-1]; !strings.HasPrefix(last, " :") {
			return fmt.Errorf("footer %q", last)
		}
		return nil
	})
	p.keys(strings.Split(line, "")...)
	p.keys("Enter")
}
