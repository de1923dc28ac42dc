// Package output writes command results in the format chosen with
// --output: an aligned table for people, JSON or YAML for programs.
package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"gopkg.in/yaml.v3"
)

// Format is a value of --output.
type Format string

// The formats.
const (
	Table Format = "table"
	JSON  Format = "json"
	YAML  Format = "yaml"
)

// Formats lists the accepted values, for help and completion.
var Formats = []string{string(Table), string(JSON), string(YAML)}

// ParseFormat checks a --output value; "" means Table.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(s)); f {
	case "", Table:
		return Table, nil
	case JSON, YAML:
		return f, nil
	}
	return "", fmt.Errorf("invalid output format %q (want table, json or yaml)", s)
}

// WriteJSON writes v as indented JSON and a newline.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

// WriteYAML writes v as YAML. It goes through JSON first so the json field
// tags name the keys and their order is kept in both formats.
func WriteYAML(w io.Writer, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("write yaml: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return fmt.Errorf("write yaml: %w", err)
	}
	blockStyle(&doc)
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return fmt.Errorf("write yaml: %w", err)
	}
	return enc.Close()
}

// blockStyle drops the flow style and quoting JSON input leaves on nodes,
// so the output reads as ordinary YAML; strings that need quotes get them
// back from the encoder.
func blockStyle(n *yaml.Node) {
	n.Style = 0
	for _, c := range n.Content {
		blockStyle(c)
	}
}

// Structured writes v as JSON or YAML; it returns false for Table so the
// caller prints its own text.
func Structured(w io.Writer, f Format, v any) (bool, error) {
	switch f {
	case JSON:
		return true, WriteJSON(w, v)
	case YAML:
		return true, WriteYAML(w, v)
	}
	return false, nil
}

// TableWriter aligns columns separated by tabs.
type TableWriter struct {
	out    io.Writer
	buf    bytes.Buffer
	tw     *tabwriter.Writer
	header func(string) string
}

// NewTable starts a table on w; header styles the header cells (pass the
// colour scheme's Bold, or nil for plain).
func NewTable(w io.Writer, header func(string) string) *TableWriter {
	if header == nil {
		header = func(s string) string { return s }
	}
	t := &TableWriter{out: w, header: header}
	t.tw = tabwriter.NewWriter(&t.buf, 0, 4, 2, ' ', 0)
	return t
}

// Header writes the header row.
func (t *TableWriter) Header(cells ...string) {
	styled := make([]string, len(cells))
	for i, c := range cells {
		styled[i] = t.header(c)
	}
	t.Row(styled...)
}

// Row writes one row.
func (t *TableWriter) Row(cells ...string) {
	fmt.Fprintln(t.tw, strings.Join(cells, "\t"))
}

// Flush writes the aligned table, without the padding an empty last
// column leaves at the end of a line.
func (t *TableWriter) Flush() error {
	if err := t.tw.Flush(); err != nil {
		return err
	}
	lines := strings.SplitAfter(t.buf.String(), "\n")
	for i, line := range lines {
		lines[i] = strings.TrimRight(strings.TrimSuffix(line, "\n"), " ")
		if strings.HasSuffix(line, "\n") {
			lines[i] += "\n"
		}
	}
	t.buf.Reset()
	_, err := io.WriteString(t.out, strings.Join(lines, ""))
	return err
}
