package messages

import (
	"bufio"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/recordjson"
	"github.com/kqhq/kq/tui/components"
)

// exportedMsg reports an export (w).
type exportedMsg struct {
	path   string
	format string
	n      int
	err    error
}

func (e exportedMsg) flash() flash {
	if e.err != nil {
		return flash{text: fmt.Sprintf("export: %v", e.err), bad: true}
	}
	return flash{text: fmt.Sprintf("exported %s to %s (%s)", plural(e.n, "record"), e.path, e.format)}
}

// export writes the records on show (those the search matches, when there
// is one) to path: CSV when it ends in .csv, else JSON lines exactly as
// kq consume -o json prints them. An existing file is kept unless the path
// ends with "!", as vim's :w! overwrites.
func (m Model) export(path string) (Model, tea.Cmd) {
	path, force := strings.CutSuffix(strings.TrimSpace(path), "!")
	if path == "" {
		m.flash = flash{text: "export: no file named", bad: true}
		return m, nil
	}
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			path = filepath.Join(home, rest)
		}
	}
	recs := m.shownRecords()
	csvFile := strings.EqualFold(filepath.Ext(path), ".csv")
	return m, func() tea.Msg {
		msg := exportedMsg{path: path, format: "JSON lines, as kq consume -o json", n: len(recs)}
		if csvFile {
			msg.format = "CSV"
		}
		msg.err = writeExport(path, force, csvFile, recs)
		return msg
	}
}

// shownRecords are the records held, or those the search matches.
func (m Model) shownRecords() []admin.Record {
	n := m.rowCount()
	recs := make([]admin.Record, n)
	for row := range n {
		recs[row] = m.buf.At(m.rowIndex(row)).rec
	}
	return recs
}

func writeExport(path string, force, csvFile bool, recs []admin.Record) error {
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(path, flags, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s exists: name another file, or end the name with ! to overwrite it", path)
	}
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if csvFile {
		err = writeCSV(w, recs)
	} else {
		err = writeJSONLines(w, recs)
	}
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func writeJSONLines(w io.Writer, recs []admin.Record) error {
	var line []byte
	for _, r := range recs {
		line = recordjson.Append(line[:0], r)
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
	return nil
}

// csvHeader names the CSV columns. Keys and values that are valid UTF-8
// are written as they are, others as "base64:" and their base64; a null
// is an empty cell. headers holds the JSON array of kq consume -o json.
var csvHeader = []string{"topic", "partition", "offset", "timestamp", "key", "value", "headers"}

func writeCSV(w io.Writer, recs []admin.Record) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, r := range recs {
		ts := int64(-1) // Kafka's "no timestamp"
		if !r.Timestamp.IsZero() {
			ts = r.Timestamp.UnixMilli()
		}
		row := []string{r.Topic, strconv.Itoa(int(r.Partition)), strconv.FormatInt(r.Offset, 10),
			strconv.FormatInt(ts, 10), csvBytes(r.Key), csvBytes(r.Value), string(recordjson.AppendHeaders(nil, r.Headers))}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvBytes(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return "base64:" + base64.StdEncoding.EncodeToString(b)
}

// exportPrompt is the footer's hint while a path is typed.
func (m Model) exportPrompt() string {
	return fmt.Sprintf("%s records · .csv for CSV, else JSON lines · ! at the end overwrites",
		components.Count(int64(m.rowCount())))
}
