package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// drive runs cmd as bubbletea would, in goroutines whose messages come
// back through Update, until cond holds or ten seconds pass. Polls that
// wait for records are left waiting.
func (f *fixture) drive(cmd tea.Cmd, what string, cond func() bool) {
	f.t.Helper()
	msgs := make(chan tea.Msg, 64)
	var run func(tea.Cmd)
	run = func(c tea.Cmd) {
		if c != nil {
			go func() { msgs <- c() }()
		}
	}
	run(cmd)
	deadline := time.After(10 * time.Second)
	for !cond() {
		select {
		case msg := <-msgs:
			if batch, ok := msg.(tea.BatchMsg); ok {
				for _, c := range batch {
					run(c)
				}
				continue
			}
			if _, tick := msg.(tickMsg); tick || msg == nil {
				continue // refreshes are the test's to make
			}
			run(f.send(msg))
		case <-deadline:
			f.t.Fatalf("timed out waiting for %s:\n%s", what, f.m.View())
		}
	}
}

// TestMessagesFilterAndExportOnTheCluster filters a topic of the fake
// cluster from the Messages view opened on it, then exports the matches.
func TestMessagesFilterAndExportOnTheCluster(t *testing.T) {
	f := newFixture(t, 120, 30)
	f.m.opts.Messages = clusterMessages{f.cluster}
	f.busy()
	f.keys("j", "j") // orders
	f.drive(f.send(keyMsg("m")), "the newest records", func() bool {
		return strings.Contains(f.m.View(), "202 held") // 100 of partitions 0 and 1, the 2 of 3
	})
	f.keys("f")
	f.typeText("partition=1 offset>=1490 or partition=0 offset<203")
	f.drive(f.send(keyMsg("enter")), "the filter to read orders", func() bool {
		// partitions 0 (200..37,609) and 1 (0..1,499) alone are read
		return strings.Contains(f.m.View(), "13 held") && strings.Contains(f.m.View(), "38,910 scanned · 13 matched")
	})
	path := filepath.Join(t.TempDir(), "matches.jsonl")
	f.keys("w", "ctrl+u")
	f.typeText(path)
	f.drive(f.send(keyMsg("enter")), "the export", func() bool { return strings.Contains(f.m.View(), "exported 13 records") })
	got, err := os.ReadFile(path)
	if err != nil || strings.Count(string(got), "\n") != 13 || !strings.HasPrefix(string(got), `{"topic":"orders","partition":0,"offset":200,`) {
		t.Fatalf("export (%v):\n%s", err, got)
	}
}
