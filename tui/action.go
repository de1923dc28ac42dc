package tui

import (
	"context"
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/tui/components"
)

// dialog is an action under way. It asks its prompts one at a time in the
// footer, then plans (which may read the cluster, as a reset does) and
// shows what will happen, then asks once: y, or for a deletion the name
// typed out. Nothing changes on the cluster before that answer; esc
// cancels at any point before it.
type dialog struct {
	id      int    // tells this dialog's results from a cancelled one's
	title   string // "Delete topic payments"
	prompts []prompt
	answers []string
	// plan turns the answers into a preview; it runs as a command, off
	// the UI's goroutine.
	plan    func(ctx context.Context, answers []string) (preview, error)
	stage   dialogStage
	preview preview
	problem string // why the last answer or the plan was refused
	// area is the multi-line box of a long answer, while it is open
	// (editor.go).
	area *textarea.Model
}

// prompt is one question of a dialog.
type prompt struct {
	label string // "partitions"
	hint  string // "empty for the broker's num.partitions"
	check func(answer string) error
	empty string // what an empty answer means; "(broker default)" when ""
	// prefill is the input's text when the prompt is asked (a config's
	// current value, a resent record's key).
	prefill string
	// secret hides the answer as it is typed and once given (a sensitive
	// config's value).
	secret bool
	// long lets ctrl+e write the answer in $EDITOR, or in a multi-line
	// box without one (a record's value).
	long bool
}

// preview is what an action will do, and the question that lets it.
type preview struct {
	lines    []components.Cell // what will happen, a line each
	table    *components.Table // a reset's offsets, current -> new
	question string            // "Delete topic payments (6 partitions)?"
	typed    string            // when set, the text to type to confirm
	running  string            // "deleting payments…"
	run      func(ctx context.Context) (string, error)
}

type dialogStage int

const (
	stageAsk dialogStage = iota
	stagePlanning
	stageConfirm
	stageRunning
	stageRefused // the plan said no; any key closes the dialog
)

// planMsg is a dialog's plan, ready.
type planMsg struct {
	id      int
	preview preview
	err     error
}

// actionDoneMsg is the outcome of an action the user confirmed.
type actionDoneMsg struct {
	text string
	err  error
}

// openDialog shows d, starting with its first unanswered prompt (a
// palette command may have answered some already).
func (m Model) openDialog(d *dialog) (tea.Model, tea.Cmd) {
	m.dialogs++
	d.id = m.dialogs
	m.dialog = d
	return m.nextPrompt()
}

// nextPrompt checks the answers given so far and asks the next question,
// or plans once every prompt is answered.
func (m Model) nextPrompt() (tea.Model, tea.Cmd) {
	d := m.dialog
	for i, a := range d.answers {
		if err := d.prompts[i].check(a); err != nil {
			d.answers, d.problem = d.answers[:i], err.Error()
			return m.ask(a)
		}
	}
	if len(d.answers) < len(d.prompts) {
		return m.ask(d.prompts[len(d.answers)].prefill)
	}
	d.stage = stagePlanning
	ctx, timeout, plan, answers, id := m.opts.Context, m.opts.Timeout, d.plan, d.answers, d.id
	return m, func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		p, err := plan(ctx, answers)
		return planMsg{id: id, preview: p, err: err}
	}
}

// ask opens the footer input for the next prompt, filled with value.
func (m Model) ask(value string) (tea.Model, tea.Cmd) {
	m.dialog.stage = stageAsk
	m.input.EchoMode = textinput.EchoNormal
	if m.dialog.prompts[len(m.dialog.answers)].secret {
		m.input.EchoMode = textinput.EchoPassword
	}
	m.input.SetValue(value)
	m.input.CursorEnd()
	return m, m.input.Focus()
}

// applyPlan shows a plan's preview and its question, or why it cannot be.
func (m Model) applyPlan(msg planMsg) (tea.Model, tea.Cmd) {
	d := m.dialog
	if d == nil || d.id != msg.id || d.stage != stagePlanning {
		return m, nil // cancelled meanwhile
	}
	if msg.err != nil {
		d.stage, d.problem = stageRefused, msg.err.Error()
		return m, nil
	}
	d.stage, d.preview, d.problem = stageConfirm, msg.preview, ""
	if d.preview.typed != "" {
		m.input.SetValue("")
		return m, m.input.Focus()
	}
	return m, nil
}

// handleDialogKey answers the dialog's prompt or question.
func (m Model) handleDialogKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	d := m.dialog
	if d.area != nil && d.stage == stageAsk {
		return m.areaKey(msg)
	}
	if msg.Type == tea.KeyEsc || d.stage == stageRefused {
		return m.closeDialog(), nil
	}
	switch d.stage {
	case stageAsk:
		return m.answer(msg)
	case stageConfirm:
		return m.confirm(msg)
	}
	return m, nil // planning or running: only esc does something
}

// answer edits the prompt's input; enter takes it.
func (m Model) answer(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	d := m.dialog
	if msg.Type == tea.KeyCtrlE && d.prompts[len(d.answers)].long {
		return m.editLong()
	}
	if msg.Type != tea.KeyEnter {
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		return m, cmd
	}
	d.answers, d.problem = append(d.answers, m.input.Value()), ""
	m.input.Blur()
	return m.nextPrompt()
}

// confirm takes y (or the typed name and enter) as yes and anything else
// as no.
func (m Model) confirm(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	p := m.dialog.preview
	if p.typed != "" {
		if msg.Type != tea.KeyEnter {
			var cmd tea.Cmd
			m.input, cmd = m.input.Update(msg)
			return m, cmd
		}
		if m.input.Value() != p.typed {
			m = m.closeDialog()
			m.flash = flash{text: fmt.Sprintf("not confirmed (%q typed, %q asked): nothing changed", m.input.Value(), p.typed), bad: true}
			return m, nil
		}
	} else if !key.Matches(msg, m.keys.Confirm) {
		m = m.closeDialog()
		m.flash = flash{text: "cancelled: nothing changed"}
		return m, nil
	}
	return m.runAction()
}

// runAction makes the change, then the dialog closes with its outcome.
func (m Model) runAction() (tea.Model, tea.Cmd) {
	d := m.dialog
	d.stage = stageRunning
	m.input.Blur()
	ctx, timeout, run := m.opts.Context, m.opts.Timeout, d.preview.run
	return m, func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		text, err := run(ctx)
		return actionDoneMsg{text: text, err: err}
	}
}

// actionDone reports an action's outcome and refreshes at once, so the
// view shows the change.
func (m Model) actionDone(msg actionDoneMsg) (tea.Model, tea.Cmd) {
	running := m.dialog != nil && m.dialog.stage == stageRunning
	switch {
	case msg.err != nil && running:
		// The dialog stays, showing the whole error wrapped; the status
		// line would cut it. Any key closes it.
		m.dialog.stage, m.dialog.problem = stageRefused, "failed: "+msg.err.Error()
	case msg.err != nil:
		m.flash = flash{text: "✖ " + oneLine(msg.err), bad: true}
	default:
		if running {
			m = m.closeDialog()
		}
		m.flash = flash{text: "✔ " + msg.text}
	}
	next, cmd := m.refresh()
	return next, cmd
}

func (m Model) closeDialog() Model {
	m.dialog = nil
	m.input.Blur()
	m.input.EchoMode = textinput.EchoNormal
	return m
}

// refuseReadOnly is the answer to an action key or command under
// --read-only.
func (m Model) refuseReadOnly() (tea.Model, tea.Cmd) {
	m.flash = flash{text: "read-only: kq tui --read-only does not change the cluster", bad: true}
	return m, nil
}
