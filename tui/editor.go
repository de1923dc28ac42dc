package tui

import (
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/charmbracelet/bubbles/textarea"
	tea "github.com/charmbracelet/bubbletea"
)

// A long answer (a record's value) is written in the user's editor:
// ctrl+e on its prompt saves the input to a temporary file, hands the
// terminal to $VISUAL or $EDITOR (tea.ExecProcess) and takes the file
// back as the answer when the editor exits. Without an editor, a
// multi-line box opens in the dialog instead.

// editorDoneMsg is the text written in the editor for dialog id.
type editorDoneMsg struct {
	id   int
	text string
	err  error
}

// editorCommand is the user's editor, $VISUAL before $EDITOR as Unix
// tools look them up; "" when neither is set.
func editorCommand() []string {
	for _, name := range []string{"VISUAL", "EDITOR"} {
		if f := strings.Fields(os.Getenv(name)); len(f) > 0 {
			return f
		}
	}
	return nil
}

// editLong opens the editor, or the box, on the prompt's input.
func (m Model) editLong() (tea.Model, tea.Cmd) {
	editor := editorCommand()
	if editor == nil {
		return m.openArea(m.input.Value())
	}
	f, err := os.CreateTemp("", "kq-value-*.txt")
	if err != nil {
		m.dialog.problem = fmt.Sprintf("cannot open the editor: %v", err)
		return m, nil
	}
	path := f.Name()
	_, werr := f.WriteString(m.input.Value())
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		_ = os.Remove(path)
		m.dialog.problem = fmt.Sprintf("cannot open the editor: %v", werr)
		return m, nil
	}
	id := m.dialog.id
	cmd := exec.Command(editor[0], append(editor[1:], path)...) //nolint:gosec // the user's own editor
	return m, tea.ExecProcess(cmd, func(err error) tea.Msg { return readEdited(id, path, err) })
}

// readEdited takes the file back; most editors end it with a newline the
// user did not mean as part of the value.
func readEdited(id int, path string, runErr error) tea.Msg {
	defer os.Remove(path)
	if runErr != nil {
		return editorDoneMsg{id: id, err: fmt.Errorf("the editor failed: %w", runErr)}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return editorDoneMsg{id: id, err: fmt.Errorf("read the edited value: %w", err)}
	}
	return editorDoneMsg{id: id, text: strings.TrimSuffix(string(b), "\n")}
}

// editorDone takes the edited text as the prompt's answer.
func (m Model) editorDone(msg editorDoneMsg) (tea.Model, tea.Cmd) {
	d := m.dialog
	if d == nil || d.id != msg.id || d.stage != stageAsk {
		return m, nil // the dialog was cancelled meanwhile
	}
	if msg.err != nil {
		d.problem = msg.err.Error()
		return m, nil
	}
	return m.takeAnswer(msg.text)
}

// takeAnswer answers the current prompt with text.
func (m Model) takeAnswer(text string) (tea.Model, tea.Cmd) {
	d := m.dialog
	d.answers, d.problem, d.area = append(d.answers, text), "", nil
	m.input.Blur()
	return m.nextPrompt()
}

// openArea shows the multi-line box, filled with text.
func (m Model) openArea(text string) (tea.Model, tea.Cmd) {
	a := textarea.New()
	a.ShowLineNumbers = false
	a.Prompt = "  "
	a.CharLimit = 0
	a.SetWidth(max(10, m.width-4))
	a.SetHeight(max(2, m.tableRows()-len(m.dialog.prompts)-3)) // below the title and the prompts
	a.SetValue(text)
	m.input.Blur()
	cmd := a.Focus()
	m.dialog.area = &a
	return m, cmd
}

// areaKey edits the box: ctrl+d takes its text, esc goes back to the
// one-line input.
func (m Model) areaKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	d := m.dialog
	switch msg.Type {
	case tea.KeyCtrlD:
		return m.takeAnswer(d.area.Value())
	case tea.KeyEsc:
		d.area = nil
		return m, m.input.Focus()
	}
	a := *d.area
	var cmd tea.Cmd
	a, cmd = a.Update(msg)
	d.area = &a
	return m, cmd
}
