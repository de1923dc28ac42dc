package tui

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/test/harness"
)

// pane is a tmux pane on a tmux server of its own (its own socket), so a
// test never touches the user's sessions and can kill everything it
// started by killing that server.
type pane struct {
	t      *testing.T
	socket string
}

// startPane runs argv in a new width x height pane. The pane stays after
// the program exits so its exit status can be read.
func startPane(t *testing.T, width, height int, argv ...string) *pane {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("KQ_REQUIRE_ZK") == "1" {
			t.Fatal("tmux is not installed (apt-get install tmux)")
		}
		t.Skip("tmux is not installed; apt-get install tmux")
	}
	p := &pane{t: t, socket: fmt.Sprintf("kq-tui-test-%d-%d", os.Getpid(), time.Now().UnixNano())}
	p.tmux("new-session", "-d", "-s", "kq", "-x", strconv.Itoa(width), "-y", strconv.Itoa(height))
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", p.socket, "kill-server").Run() })
	p.tmux("set-option", "-t", "kq", "remain-on-exit", "on")
	p.tmux(append([]string{"respawn-pane", "-k", "-t", "kq", "--"}, argv...)...)
	return p
}

func (p *pane) tmux(args ...string) string {
	p.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", p.socket}, args...)...).CombinedOutput()
	if err != nil {
		p.t.Fatalf("tmux %v: %v: %s", args, err, out)
	}
	return string(out)
}

// screen is the pane's text, without colours.
func (p *pane) screen() string { return p.tmux("capture-pane", "-p", "-t", "kq") }

// keys sends tmux key names ("Enter", "Escape", "j") one at a time, with a
// pause between them: an escape followed at once by another key reads as
// alt+key to a terminal program, as it would from a fast typist.
func (p *pane) keys(keys ...string) {
	p.t.Helper()
	for _, k := range keys {
		p.tmux("send-keys", "-t", "kq", k)
		time.Sleep(100 * time.Millisecond)
	}
}

// waitFor polls the screen until cond accepts it and returns that screen.
func (p *pane) waitFor(timeout time.Duration, what string, cond func(screen string) error) string {
	p.t.Helper()
	var last string
	harness.Eventually(p.t, timeout, what, func() error {
		last = p.screen()
		if err := cond(last); err != nil {
			return fmt.Errorf("%w; screen:\n%s", err, last)
		}
		return nil
	})
	return last
}

// contains is a waitFor condition: every one of texts on screen.
func contains(texts ...string) func(string) error {
	return func(screen string) error {
		for _, text := range texts {
			if !strings.Contains(screen, text) {
				return fmt.Errorf("no %q on screen", text)
			}
		}
		return nil
	}
}

// exitStatus waits for the program to end and returns its status.
func (p *pane) exitStatus(timeout time.Duration) int {
	p.t.Helper()
	var status int
	harness.Eventually(p.t, timeout, "the program to exit", func() error {
		out := strings.Split(p.tmux("display-message", "-p", "-t", "kq", "#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}"), "|")
		if len(out) < 3 || out[0] != "1" {
			return fmt.Errorf("still running (%q)", out)
		}
		if sig := strings.TrimSpace(out[2]); sig != "" {
			return fmt.Errorf("killed by signal %s", sig)
		}
		status, _ = strconv.Atoi(out[1])
		return nil
	})
	return status
}

// save writes the pane with its colours to KQ_TUI_CAPTURE_DIR, if set.
func (p *pane) save(name string) {
	p.t.Helper()
	dir := os.Getenv("KQ_TUI_CAPTURE_DIR")
	if dir == "" {
		return
	}
	ansi := p.tmux("capture-pane", "-p", "-e", "-t", "kq")
	if err := os.WriteFile(filepath.Join(dir, name+".ansi"), []byte(ansi), 0o644); err != nil {
		p.t.Fatal(err)
	}
}
