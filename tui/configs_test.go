package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/tui/pages"
	"github.com/twmb/franz-go/pkg/kerr"
)

// loadConfigs reads the configs of the configs views on the stack, as the
// command the model returned would.
func (f *fixture) loadConfigs() {
	f.t.Helper()
	cmd := f.m.reloadConfigs()
	if cmd == nil {
		f.t.Fatal("no configs view on the stack")
	}
	f.send(cmd())
}

// clearInput empties the footer's input (ctrl+u), prefilled by a prompt.
func (f *fixture) clearInput() { f.send(tea.KeyMsg{Type: tea.KeyCtrlU}) }

// topicConfigs opens the configs of orders, which overrides
// min.insync.replicas.
func (f *fixture) topicConfigs() {
	f.busy()
	f.keys("j", "j", "d")
	f.loadConfigs()
}

// brokerConfigs opens broker 1's configs from the Brokers view with
// enter; the brokers report one sensitive config.
func (f *fixture) brokerConfigs() {
	f.cluster.SetSensitive("ssl.keystore.password")
	f.busy()
	f.keys("shift+tab", "enter")
	f.loadConfigs()
}

func TestTopicConfigsShowSourcesAndOverrides(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.topicConfigs()
	if f.page() != "orders › configs" {
		t.Fatalf("on %q", f.page())
	}
	view := f.m.View()
	for _, want := range []string{
		pages.OverrideGlyph + " min.insync.replicas", "DYNAMIC_TOPIC_CONFIG", // the override, marked
		"  retention.ms", "604800000", "DEFAULT_CONFIG", // a default with its source
		"e edit",
	} {
		if !strings.Contains(view, want) {
			t.Errorf("no %q in the configs view:\n%s", want, view)
		}
	}
	f.keys("j", "j") // min.insync.replicas: the detail names the value it overrides
	if d := f.m.detail(); !strings.Contains(d, "over min.insync.replicas=1 (DEFAULT_CONFIG)") {
		t.Errorf("detail %q", d)
	}
	f.keys("/")
	f.typeText("segment")
	f.keys("enter")
	if rows := f.m.rows(*f.m.top()); len(rows) != 1 || rows[0].Key != "segment.bytes" {
		t.Fatalf("search for segment: %v", rows)
	}
	f.keys("esc", "esc")
	if f.page() != "Topics" || f.selected() != "orders" {
		t.Fatalf("esc went to %q row %q", f.page(), f.selected())
	}
	f.command("configs payments") // the palette opens any topic's
	f.loadConfigs()
	if f.page() != "payments › configs" || len(f.m.rows(*f.m.top())) == 0 {
		t.Fatalf("on %q", f.page())
	}
	f.command("configs broker 2") // and any broker's
	f.loadConfigs()
	if f.page() != "broker 2 › configs" {
		t.Fatalf("on %q", f.page())
	}
	for _, tt := range []struct{ command, flash string }{
		{"configs nope", `no topic "nope"`},
		{"configs broker 9", "no broker 9"},
		{"configs broker x", "want a broker id"},
		{"configs a b c", "usage: :configs"},
	} {
		f.command(tt.command)
		f.wantFlash(tt.flash)
	}
}

// TestConfigsReadFailure: a failed read says why in place of the rows,
// and a later failure keeps the configs on screen and says so.
func TestConfigsReadFailure(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.busy()
	f.cluster.Fail("DescribeConfigs", admin.ErrNotFound)
	f.keys("j", "j", "d")
	f.loadConfigs()
	if v := f.m.View(); !strings.Contains(v, "cannot read the configs of topic orders") {
		t.Fatalf("no failure shown:\n%s", v)
	}
	f.cluster.Fail("DescribeConfigs", nil)
	f.loadConfigs()
	f.cluster.Fail("DescribeConfigs", admin.ErrNotFound)
	f.loadConfigs()
	if v := f.m.View(); !strings.Contains(v, "retention.ms") || !strings.Contains(v, "configs not refreshed") {
		t.Fatalf("the configs or the failure are missing:\n%s", v)
	}
}

func TestEditTopicConfig(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.topicConfigs()
	f.keys("G", "k") // retention.ms
	f.press("e")
	if f.m.input.Value() != "604800000" {
		t.Fatalf("the prompt is not filled with the value: %q", f.m.input.Value())
	}
	f.clearInput()
	f.typeText("1000")
	f.press("enter")
	if f.m.dialog.stage != stageConfirm || !strings.Contains(f.m.View(), "DYNAMIC_TOPIC_CONFIG") {
		t.Fatalf("no preview:\n%s", f.m.View())
	}
	f.wantCalls() // nothing before the answer
	f.press("y")
	f.wantCalls("AlterConfigs topic orders SET retention.ms=1000")
	f.wantFlash("set retention.ms of topic orders")
	f.loadConfigs()
	if e, _ := f.m.top().page.(pages.Configs).Entry("retention.ms"); pages.ConfigValue(e) != "1000" || !pages.IsOverride(e) {
		t.Fatalf("retention.ms after the edit: %+v", e)
	}

	f.cluster.ForgetCalls()
	f.press("e")
	f.clearInput()
	f.press("enter") // empty: delete the override
	if !strings.Contains(f.m.View(), "604800000 from DEFAULT_CONFIG") {
		t.Fatalf("the preview does not say what the config goes back to:\n%s", f.m.View())
	}
	f.press("y")
	f.wantCalls("AlterConfigs topic orders DELETE retention.ms")
	f.loadConfigs()

	f.cluster.ForgetCalls()
	f.keys("g") // cleanup.policy, a default: nothing to delete
	f.press("e")
	f.clearInput()
	f.press("enter")
	if f.m.dialog.stage != stageRefused || !strings.Contains(f.m.dialog.problem, "nothing to delete") {
		t.Fatalf("deleting a default: %+v", f.m.dialog)
	}
	f.press("esc")
	f.command("set-config retention.ms 5000") // the palette answers the prompt
	f.press("y")
	f.wantCalls("AlterConfigs topic orders SET retention.ms=5000")
}

func TestEditConfigFailureShownWhole(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.topicConfigs()
	f.cluster.Fail("AlterConfigs", admin.ErrNotFound)
	f.keys("G")
	f.press("e")
	f.clearInput()
	f.typeText("2")
	f.press("enter", "y")
	if f.m.dialog == nil || !strings.Contains(f.m.dialog.problem, "failed: "+admin.ErrNotFound.Error()) {
		t.Fatalf("dialog %+v", f.m.dialog)
	}
}

// TestEnterOpensBrokerConfigs is bug 6: the Brokers footer offered enter
// and enter did nothing.
func TestEnterOpensBrokerConfigs(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.brokerConfigs()
	if f.page() != "broker 1 › configs" {
		t.Fatalf("enter on broker 1 went to %q", f.page())
	}
	view := f.m.View()
	for _, want := range []string{"log.retention.hours", "168", "ssl.keystore.password", pages.HiddenValue, "STATIC_BROKER_CONFIG"} {
		if !strings.Contains(view, want) {
			t.Errorf("no %q in broker 1's configs:\n%s", want, view)
		}
	}
}

func TestSensitiveConfigNeverShown(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.brokerConfigs()
	f.keys("G") // ssl.keystore.password
	f.press("e")
	if f.m.input.Value() != "" {
		t.Fatalf("a sensitive prompt is filled: %q", f.m.input.Value())
	}
	f.typeText("s3cret-pass")
	if strings.Contains(f.m.View(), "s3cret") {
		t.Fatalf("the secret is echoed as typed:\n%s", f.m.View())
	}
	f.press("enter")
	if v := f.m.View(); strings.Contains(v, "s3cret") || !strings.Contains(v, pages.HiddenValue) {
		t.Fatalf("the preview shows the secret:\n%s", v)
	}
	f.press("y")
	f.wantCalls("AlterConfigs broker 1 SET ssl.keystore.password=(hidden)")
	if strings.Contains(f.m.flash.text, "s3cret") {
		t.Fatalf("flash %q", f.m.flash.text)
	}
}

func TestConfigsUnderReadOnly(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.readOnly()
	f.topicConfigs()
	if strings.Contains(f.m.View(), "e edit") {
		t.Fatalf("edit offered under --read-only:\n%s", f.m.View())
	}
	f.press("e")
	f.wantFlash("read-only")
	f.command("set-config retention.ms 1")
	f.wantFlash("read-only")
	if f.m.dialog != nil {
		t.Fatal("a dialog opened under --read-only")
	}
	f.wantCalls()
}

func TestCreateTopicWithConfigs(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.busy()
	f.press("c")
	f.typeText("clicks")
	f.press("enter")
	f.typeText("3")
	f.press("enter", "enter")
	f.typeText("retention.ms")
	f.press("enter") // not name=value: asked again
	if f.m.dialog.stage != stageAsk || !strings.Contains(f.m.dialog.problem, "want name=value") {
		t.Fatalf("dialog %+v", f.m.dialog)
	}
	f.clearInput()
	f.typeText("retention.ms=1000 cleanup.policy=compact")
	f.press("enter")
	if !strings.Contains(f.m.View(), "config  retention.ms=1000") {
		t.Fatalf("the preview does not list the configs:\n%s", f.m.View())
	}
	f.press("y")
	f.wantCalls("CreateTopic clicks 3 -1 cleanup.policy=compact retention.ms=1000")
	f.command("configs clicks")
	f.loadConfigs()
	if e, _ := f.m.top().page.(pages.Configs).Entry("cleanup.policy"); pages.ConfigValue(e) != "compact" {
		t.Fatalf("cleanup.policy of the new topic: %+v", e)
	}
}

func TestConfigViews(t *testing.T) {
	tests := []struct {
		name          string
		width, height int
		stage         func(f *fixture)
	}{
		{"configs_topic", 80, 24, func(f *fixture) { f.topicConfigs(); f.keys("j", "j") }},
		{"configs_topic_60x15", 60, 15, func(f *fixture) { f.topicConfigs(); f.keys("j", "j") }},
		{"configs_broker", 80, 24, func(f *fixture) { f.brokerConfigs(); f.keys("G") }},
		{"configs_broker_60x15", 60, 15, func(f *fixture) { f.brokerConfigs(); f.keys("G") }},
		{"configs_search", 80, 24, func(f *fixture) { f.topicConfigs(); f.keys("/"); f.typeText("ret") }},
		{"config_edit_preview", 80, 24, func(f *fixture) {
			f.topicConfigs()
			f.keys("G")
			f.press("e")
			f.clearInput()
			f.typeText("1000")
			f.press("enter")
		}},
		{"config_edit_preview_60x15", 60, 15, func(f *fixture) {
			f.topicConfigs()
			f.keys("G")
			f.press("e")
			f.clearInput()
			f.typeText("1000")
			f.press("enter")
		}},
		{"config_delete_preview", 80, 24, func(f *fixture) { f.topicConfigs(); f.keys("j", "j"); f.press("e"); f.clearInput(); f.press("enter") }},
		{"create_topic_configs", 80, 24, func(f *fixture) {
			f.busy()
			f.command("create-topic clicks 3 2 retention.ms=1000 cleanup.policy=compact")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.width, tt.height)
			tt.stage(f)
			view := f.m.View()
			checkFrame(t, view, tt.width, tt.height)
			golden(t, tt.name, view)
		})
	}
}

// TestConfigEditRefusedInThePreview: the broker's refusal of a value
// (IncrementalAlterConfigs validate_only) is shown before the question,
// and nothing is changed.
func TestConfigEditRefusedInThePreview(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.topicConfigs()
	f.cluster.Fail("ValidateConfigChanges", fmt.Errorf("%w: Invalid value abc for configuration retention.ms", kerr.InvalidConfig))
	f.command("set-config retention.ms abc")
	d := f.m.dialog
	if d == nil || d.stage != stageRefused || !strings.Contains(d.problem, "the broker would refuse it") ||
		!strings.Contains(d.problem, "Invalid value abc") {
		t.Fatalf("dialog %+v", d)
	}
	f.wantCalls()
}

// TestPaletteCompletesConfigs: Tab completes :configs and :produce to a
// topic, and :set-config to a config of the view on screen.
func TestPaletteCompletesConfigs(t *testing.T) {
	f := newFixture(t, 100, 30)
	f.topicConfigs()
	for _, tt := range []struct{ typed, want string }{
		{"configs pay", "configs payments "},
		{"produce au", "produce audit "},
		{"set-config ret", "set-config retention.ms "},
	} {
		f.keys(":")
		f.typeText(tt.typed)
		f.keys("tab")
		if got := f.m.input.Value(); got != tt.want {
			t.Errorf("%q completed to %q, want %q", tt.typed, got, tt.want)
		}
		f.keys("esc")
	}
}
