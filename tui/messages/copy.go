package messages

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/recordjson"
)

// copiedMsg reports a copy as JSON.
type copiedMsg struct {
	partition int32
	offset    int64
	clipboard bool   // the clipboard was written
	file      string // the file written, if any
	err       error
}

func (c copiedMsg) flash() flash {
	if c.err != nil {
		return flash{text: fmt.Sprintf("copy offset %d: %v", c.offset, c.err), bad: true}
	}
	text := fmt.Sprintf("copied offset %d (partition %d) as JSON", c.offset, c.partition)
	switch {
	case c.clipboard && c.file != "":
		text += " to the clipboard, appended to " + c.file
	case c.file != "":
		text += ", appended to " + c.file
	}
	return flash{text: text}
}

// copySelected copies the record under the cursor.
func (m *Model) copySelected() tea.Cmd {
	if !m.sel.valid {
		m.flash = flash{text: "no record to copy", bad: true}
		return nil
	}
	return m.copyRecord(m.buf.At(m.sel.index).rec)
}

// copyRecord puts rec, as the line kq consume -o json prints, on the
// terminal's clipboard with OSC 52 (which also works over ssh, and in
// tmux with set-clipboard on) and into the copy file. The clipboard gets
// the line without its newline, so pasting it into a shell runs nothing.
func (m *Model) copyRecord(rec admin.Record) tea.Cmd {
	clip, file := m.opts.Clipboard, m.opts.CopyFile
	if clip == nil && file == "" {
		m.flash = flash{text: "nowhere to copy to: no terminal clipboard and no --copy-file", bad: true}
		return nil
	}
	line := recordjson.Append(nil, rec)
	return func() tea.Msg {
		msg := copiedMsg{partition: rec.Partition, offset: rec.Offset, file: file}
		var errs []error
		if clip != nil {
			// One write, so the sequence cannot land inside a frame.
			_, err := io.WriteString(clip, ansi.SetSystemClipboard(string(bytes.TrimSuffix(line, []byte("\n")))))
			if err != nil {
				errs = append(errs, fmt.Errorf("write the clipboard: %w", err))
			}
			msg.clipboard = err == nil
		}
		if file != "" {
			if err := appendLine(file, line); err != nil {
				errs = append(errs, err)
			}
		}
		msg.err = errors.Join(errs...)
		return msg
	}
}

// appendLine adds line to the copy file, creating it: every record copied
// in a session is kept, one JSON line each, as kq consume -o json writes
// them.
func appendLine(file string, line []byte) error {
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("open %s: %w", file, err)
	}
	_, err = f.Write(line)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", file, err)
	}
	return nil
}
