package messages

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/kqhq/kq/admin"
)

// detail is an open record: everything about it in a scrollable pane. It
// keeps its own copy of the record, which may leave the buffer meanwhile.
type detail struct {
	rec admin.Record
	hex bool // key and value as a hex dump
	vp  viewport.Model
}

// openDetail opens the record under the cursor, as a hex dump when its
// key or value is binary.
func (m *Model) openDetail() {
	if !m.sel.valid {
		return
	}
	rec := m.buf.At(m.sel.index).rec
	m.detail = &detail{rec: rec, hex: isBinary(rec.Key) || isBinary(rec.Value)}
	m.detail.vp = viewport.New(m.width, m.tableRows()+1)
	m.fillDetail()
}

// resizeDetail fits an open record to a new terminal size.
func (m *Model) resizeDetail() {
	if m.detail == nil {
		return
	}
	d := *m.detail
	d.vp.Width, d.vp.Height = m.width, m.tableRows()+1
	m.detail = &d
	m.fillDetail()
}

func (m *Model) fillDetail() {
	d := m.detail
	d.vp.SetContent(strings.Join(m.detailLines(d), "\n"))
}

func (m Model) handleDetailKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	k := m.keys
	d := *m.detail // a copy: earlier models keep their pane
	m.detail = &d
	switch {
	case key.Matches(msg, k.Quit):
		return m, tea.Quit
	case key.Matches(msg, k.Back):
		m.detail = nil
	case key.Matches(msg, k.Next), key.Matches(msg, k.Prev):
		m.jump(key.Matches(msg, k.Next))
		m.openDetail()
	case key.Matches(msg, k.Hex):
		d.hex = !d.hex
		m.fillDetail()
	case key.Matches(msg, k.Copy):
		return m, m.copyRecord(d.rec)
	case key.Matches(msg, k.Resend):
		return m, m.resendSelected()
	case key.Matches(msg, k.Top):
		d.vp.GotoTop()
	case key.Matches(msg, k.Bottom):
		d.vp.GotoBottom()
	case key.Matches(msg, k.Help), key.Matches(msg, k.Pause), key.Matches(msg, k.Search), key.Matches(msg, k.Start):
		return m.handleCommonKey(msg)
	default:
		var cmd tea.Cmd
		d.vp, cmd = d.vp.Update(msg)
		return m, cmd
	}
	return m, nil
}

// detailLines are the pane's content: the record's coordinates, then its
// headers, key and value in full.
func (m Model) detailLines(d *detail) []string {
	r := &d.rec
	label := func(name string) string { return m.st.ColumnHeader.Render(fmt.Sprintf(" %-13s", name)) }
	kind := "CreateTime"
	if r.LogAppendTime {
		kind = "LogAppendTime"
	}
	ts := formatTime(r.Timestamp, detailTime, m.opts.Location)
	if !r.Timestamp.IsZero() {
		ts += m.st.Faint.Render(fmt.Sprintf("  (%s, %d)", kind, r.Timestamp.UnixMilli()))
	}
	lines := []string{
		label("Topic") + r.Topic,
		label("Partition") + fmt.Sprint(r.Partition),
		label("Offset") + fmt.Sprint(r.Offset),
		label("Timestamp") + ts,
	}
	if r.LeaderEpoch >= 0 {
		lines = append(lines, label("Leader epoch")+fmt.Sprint(r.LeaderEpoch))
	}
	lines = append(lines, "")
	lines = append(lines, m.headerLines(r.Headers)...)
	lines = append(lines, m.bytesLines("Key", r.Key, d.hex)...)
	return append(lines, m.bytesLines("Value", r.Value, d.hex)...)
}

func (m Model) headerLines(headers []admin.Header) []string {
	if len(headers) == 0 {
		return []string{m.st.Header.Render(" Headers") + m.st.Faint.Render("  none"), ""}
	}
	lines := []string{m.st.Header.Render(fmt.Sprintf(" Headers (%d)", len(headers)))}
	width := 0
	for _, h := range headers {
		width = max(width, ansi.StringWidth(escaped([]byte(h.Key), 64)))
	}
	for _, h := range headers {
		k := escaped([]byte(h.Key), 64)
		v := m.st.Faint.Render("null")
		if h.Value != nil {
			v = escaped(h.Value, 4096)
		}
		lines = append(lines, "  "+k+strings.Repeat(" ", width-ansi.StringWidth(k))+" = "+v)
	}
	return append(lines, "")
}

// bytesLines shows a key or value: null, a hex dump, pretty JSON, or text
// with its lines wrapped to the pane and unprintable bytes escaped.
func (m Model) bytesLines(name string, b []byte, hex bool) []string {
	title := fmt.Sprintf(" %s (%s", name, byteSize(len(b)))
	var body []string
	switch {
	case b == nil:
		return []string{m.st.Header.Render(" "+name) + m.st.Faint.Render("  null"), ""}
	case hex:
		title += ", hex"
		perLine := 16
		if m.width < hexWidth(16)+2 {
			perLine = 8
		}
		body = hexDump(b, perLine)
	case isJSONDocument(b):
		title += ", JSON"
		var pretty bytes.Buffer
		_ = json.Indent(&pretty, b, "", "  ") // valid JSON always indents
		body = m.textLines(pretty.Bytes())
	default:
		body = m.textLines(b)
	}
	lines := []string{m.st.Header.Render(title + ")")}
	for _, l := range body {
		lines = append(lines, "  "+m.highlight(l, m.st.Plain))
	}
	return append(lines, "")
}

// textLines splits text at its newlines, escapes the rest and wraps each
// line to the pane.
func (m Model) textLines(b []byte) []string {
	width := max(10, m.width-4)
	var out []string
	for _, line := range bytes.Split(b, []byte("\n")) {
		text := escaped(bytes.TrimSuffix(line, []byte("\r")), len(line)*4+1)
		wrapped := ansi.Hardwrap(text, width, true)
		out = append(out, strings.Split(wrapped, "\n")...)
	}
	return out
}

// isJSONDocument says whether b is a JSON object or array, worth
// pretty-printing (a bare number or string is left as it is).
func isJSONDocument(b []byte) bool {
	t := bytes.TrimSpace(b)
	return len(t) > 0 && (t[0] == '{' || t[0] == '[') && json.Valid(t)
}
