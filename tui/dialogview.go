package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/kqhq/kq/tui/components"
	"github.com/kqhq/kq/tui/pages"
)

// dialogView is the body while an action is under way: its title, the
// answers so far, then the preview or the refusal.
func (m Model) dialogView() string {
	d := m.dialog
	lines := []string{"  " + m.st.Header.Render(d.title), ""}
	prompts := m.promptLines(d)
	if d.stage == stageRefused && len(lines)+len(prompts)+len(m.problemLines(d))+1 > m.tableRows() {
		// A refusal is read in full: the answers give it their room.
		prompts = []string{"  " + m.st.Faint.Render(m.answersText(d)), ""}
	}
	lines = append(lines, prompts...)
	if d.area != nil && d.stage == stageAsk {
		lines = append(lines, strings.Split(d.area.View(), "\n")...)
	}
	lines = append(lines, m.problemLines(d)...)
	switch d.stage {
	case stagePlanning:
		lines = append(lines, "  "+m.st.Faint.Render("planning…"))
	case stageConfirm, stageRunning:
		lines = append(lines, m.previewLines(d.preview, m.tableRows()-len(lines))...)
	case stageRefused:
		lines = append(lines, "  "+m.st.Faint.Render("Nothing was changed. Any key closes this."))
	}
	return strings.Join(lines, "\n")
}

// promptLines are the prompts with their answers, the hint of the one
// asked, and a gap after them.
func (m Model) promptLines(d *dialog) []string {
	var lines []string
	for i, p := range d.prompts {
		lines = append(lines, m.promptLine(d, i, p))
		if i == len(d.answers) && d.stage == stageAsk && p.hint != "" && d.area == nil {
			lines = append(lines, m.wrapped(components.Text(p.hint, m.st.Faint), promptIndent)...)
		}
	}
	if len(d.prompts) > 0 {
		lines = append(lines, "")
	}
	return lines
}

// problemLines are why the last answer or the plan was refused, wrapped,
// and a gap; none when nothing was.
func (m Model) problemLines(d *dialog) []string {
	if d.problem == "" {
		return nil
	}
	return append(m.wrapped(components.Text(pages.BadGlyph+" "+d.problem, m.st.Bad), 2), "")
}

// answersText is the answers on one line, "name clicks · partitions 12".
func (m Model) answersText(d *dialog) string {
	parts := make([]string, 0, len(d.answers))
	for i, a := range d.answers {
		p := d.prompts[i]
		switch {
		case p.secret:
			a = pages.HiddenValue
		case a == "" && p.empty != "":
			a = p.empty
		case a == "":
			a = "(broker default)"
		}
		parts = append(parts, p.label+" "+firstLine([]byte(a)))
	}
	return strings.Join(parts, " · ")
}

// promptIndent is where a prompt's answer starts.
const promptIndent = 24

// promptLine shows a prompt with its answer, or that it is being asked.
func (m Model) promptLine(d *dialog, i int, p prompt) string {
	label := fmt.Sprintf("    %-*s", promptIndent-4, p.label)
	switch {
	case i < len(d.answers) && d.answers[i] == "":
		empty := p.empty
		if empty == "" {
			empty = "(broker default)"
		}
		return label + m.st.Faint.Render(empty)
	case i < len(d.answers) && p.secret:
		return label + m.st.Faint.Render(pages.HiddenValue)
	case i < len(d.answers):
		return label + m.st.Plain.Render(firstLine([]byte(d.answers[i])))
	case i == len(d.answers) && d.stage == stageAsk:
		return m.st.Key.Render(label) + m.st.Warn.Render("◀")
	}
	return label + m.st.Faint.Render("…")
}

// previewLines are the preview's lines, its table cut to the room left,
// and the question.
func (m Model) previewLines(p preview, room int) []string {
	var lines []string
	for _, c := range p.lines {
		lines = append(lines, m.wrapped(c, 2)...)
	}
	if len(p.lines) > 0 {
		lines = append(lines, "")
	}
	if p.table != nil {
		rows := max(2, room-len(lines)-3) // the question, a gap, "and more"
		lines = append(lines, strings.Split(p.table.Render(m.width, rows), "\n")...)
		if more := len(p.table.Rows) - (rows - 1); more > 0 {
			lines = append(lines, "  "+m.st.Faint.Render(fmt.Sprintf("… and %d more partitions", more)))
		}
		lines = append(lines, "")
	}
	return append(lines, "  "+m.st.Header.Render(p.question))
}

// wrapped is a cell on as many lines as the width needs, indented: a
// refusal or a warning is read in full, not cut at the edge. Cells of
// several spans stay on one line.
func (m Model) wrapped(c components.Cell, indent int) []string {
	pad := strings.Repeat(" ", indent)
	if len(c) != 1 {
		var b strings.Builder
		for _, s := range c {
			b.WriteString(s.Style.Render(s.Text))
		}
		return []string{pad + b.String()}
	}
	var out []string
	for _, l := range strings.Split(ansi.Wordwrap(c[0].Text, max(10, m.width-indent-1), ""), "\n") {
		out = append(out, pad+c[0].Style.Render(l))
	}
	return out
}

// dialogFooter is the footer while an action is under way: the prompt's
// input, or the question's answer.
func (m Model) dialogFooter() string {
	d := m.dialog
	switch d.stage {
	case stageAsk:
		if d.area != nil {
			return " " + m.st.Key.Render("ctrl+d") + " " + m.st.Faint.Render("takes the "+d.prompts[len(d.answers)].label) +
				"  " + m.st.Key.Render("esc") + " " + m.st.Faint.Render("back to one line")
		}
		return m.st.Key.Render(" "+d.prompts[len(d.answers)].label+": ") + m.input.View()
	case stagePlanning:
		return m.st.Faint.Render(" planning…  esc cancels")
	case stageConfirm:
		if d.preview.typed != "" {
			return m.st.Warn.Render(" type "+d.preview.typed+" to confirm (esc cancels): ") + m.input.View()
		}
		// y/N first: a long question is cut at the right edge.
		return " " + m.st.Key.Render("y/N") + " " + m.st.Warn.Render(d.preview.question)
	case stageRunning:
		return m.st.Faint.Render(" " + d.preview.running)
	}
	return m.st.Faint.Render(" any key closes")
}
