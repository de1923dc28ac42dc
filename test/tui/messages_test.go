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

// TestMessagesView produces known records with kq produce, reads them in
// the Messages view of `kq tui`, searches one, copies it with y and
// compares the copy (the KQ_TUI_COPY_FILE file, and the tmux buffer the
// OSC 52 sequence filled) with what `kq consume -o json` prints for it.
func TestMessagesView(t *testing.T) {
	cluster, addrs := harness.StartLocalCluster(t, 3, nil)
	kq(t, "-b", cluster.Addr, "topics", "create", "events", "-p", "2", "-r", "3")
	var lines strings.Builder
	for i := range 20 {
		action := "login"
		if i == 13 {
			action = "needle-42"
		}
		fmt.Fprintf(&lines, "user-%d:{\"user\":%d,\"action\":\"%s\"}\n", i, i, action)
	}
	res := harness.KQ(t, strings.NewReader(lines.String()), "-b", cluster.Addr, "produce", "-t", "events", "-p", "0",
		"--property", "parse.key=true", "--property", "key.separator=:")
	if res.Code != 0 {
		t.Fatalf("produce: exit %d: %s", res.Code, res.Stderr)
	}

	copyFile := filepath.Join(t.TempDir(), "copied.json")
	p := startPane(t, 120, 32, "env", "KQ_TUI_COPY_FILE="+copyFile, harness.Binary(t), "tui",
		"-b", strings.Join(addrs, ","), "--refresh", "500ms")
	p.tmux("set-option", "-g", "set-clipboard", "on") // let OSC 52 fill a tmux buffer
	p.waitFor(30*time.Second, "the topics view", contains("events", "● live"))
	p.keys(":")
	p.keys(strings.Split("messages events 0 oldest", "")...)
	p.keys("Enter")
	screen := p.waitFor(30*time.Second, "the records", contains("events-0 › messages", "user-0", "user-19", "20 held"))
	t.Logf("messages:\n%s", screen)
	p.save("messages")

	p.keys("/")
	p.keys(strings.Split("needle", "")...)
	p.keys("Enter")
	p.waitFor(10*time.Second, "the match", contains("1 of 20 match", "needle-42", "▶ 0      13"))
	p.save("messages-search")
	p.keys("y")
	p.waitFor(10*time.Second, "the copy", contains("copied offset 13 (partition 0) as JSON"))

	want := harness.KQ(t, nil, "-b", cluster.Addr, "consume", "-t", "events", "-p", "0", "--offset", "13",
		"--max-messages", "1", "-o", "json")
	if want.Code != 0 || !strings.Contains(want.Stdout, "needle-42") {
		t.Fatalf("consume: exit %d: %s%s", want.Code, want.Stdout, want.Stderr)
	}
	got, err := os.ReadFile(copyFile)
	if err != nil || string(got) != want.Stdout {
		t.Fatalf("copied:\n%s(%v)\nkq consume -o json:\n%s", got, err, want.Stdout)
	}
	if clip := p.tmux("show-buffer"); clip != strings.TrimSuffix(want.Stdout, "\n") {
		t.Fatalf("clipboard (tmux buffer):\n%q\nwant:\n%q", clip, want.Stdout)
	}

	p.keys("Enter")
	p.waitFor(10*time.Second, "the record's detail", contains("Timestamp", "Value (", "JSON", `"action": "needle-42"`))
	p.save("messages-detail")
	p.keys("Escape", "Escape", "Escape") // the detail, the search, the view
	p.waitFor(10*time.Second, "the topics again", contains("events", "● live", "Topics"))
	p.keys("q")
	if status := p.exitStatus(10 * time.Second); status != 0 {
		t.Fatalf("kq tui exited %d", status)
	}
}
