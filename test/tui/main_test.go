// Package tui runs `kq tui` as a user would: the real binary in a tmux
// pane against real brokers, driven by keys, read back from the screen.
//
// The tests need tmux; without it they are skipped, unless KQ_REQUIRE_ZK=1
// (the setting that makes every integration prerequisite mandatory) turns
// the skip into a failure. With KQ_TUI_CAPTURE_DIR set, the panes are also
// saved there with their colours (tmux capture-pane -e), for screenshots.
package tui

import (
	"os"
	"testing"

	"github.com/kqhq/kq/test/harness"
)

func TestMain(m *testing.M) { os.Exit(harness.Main(m)) }
