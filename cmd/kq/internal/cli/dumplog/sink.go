package dumplog

import (
	"fmt"
	"io"
)

// fileDump is one file's dump as -o json|yaml prints it.
type fileDump struct {
	File              string        `json:"file"`
	LogStartOffset    *int64        `json:"log_start_offset,omitempty"`
	Batches           []*batchOut   `json:"batches,omitempty"`
	IndexEntries      []any         `json:"entries,omitempty"`
	Producers         []producerOut `json:"producers,omitempty"`
	AbortedTxns       []any         `json:"aborted_transactions,omitempty"`
	Empty             bool          `json:"empty,omitempty"`
	PassedSanityCheck bool          `json:"passed_sanity_check,omitempty"`
	InvalidBytes      int64         `json:"invalid_bytes,omitempty"`
	// Problems are what the checks found, as printed on standard error.
	Problems []string `json:"problems,omitempty"`
	Error    string   `json:"error,omitempty"`
}

// sink receives a dump as it is made: the text sink prints Kafka's lines
// as they come (a segment can be a gigabyte), the structured one keeps
// the values for one JSON or YAML document at the end.
type sink struct {
	out        io.Writer
	structured bool
	files      []*fileDump
	failed     bool // some file could not be read or decoded whole
}

func (s *sink) cur() *fileDump { return s.files[len(s.files)-1] }

func (s *sink) startFile(path string) {
	s.files = append(s.files, &fileDump{File: path})
	if !s.structured {
		fmt.Fprintf(s.out, "Dumping %s\n", path)
	}
	if !s.structured && len(s.files) > 1 {
		s.files = s.files[len(s.files)-1:] // text keeps nothing past a file
	}
}

// line prints text, or lets set record the value.
func (s *sink) line(text string, set func(*fileDump)) {
	if s.structured {
		set(s.cur())
		return
	}
	fmt.Fprintln(s.out, text)
}

func (s *sink) batch(b *batchOut) {
	s.line(b.text(), func(d *fileDump) { d.Batches = append(d.Batches, b) })
}

func (s *sink) record(b *batchOut, r recordOut, skipMeta bool) {
	s.line(r.text(b.TimestampType, skipMeta), func(*fileDump) { b.Records = append(b.Records, r) })
}

// fail notes a file that could not be dumped whole.
func (s *sink) fail(errOut io.Writer, err error) {
	s.failed = true
	d := s.cur()
	if d.Error != "" {
		d.Error += "; "
	}
	d.Error += err.Error()
	fmt.Fprintf(errOut, "Error dumping %s: %v\n", d.File, err)
}
