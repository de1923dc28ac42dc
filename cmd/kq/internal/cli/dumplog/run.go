package dumplog

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

// run dumps each file in turn, then reports the problems found across
// them on standard error, in Kafka's order.
func run(opts *Options) error {
	s := &sink{out: opts.IO.Out, structured: opts.Output != output.Table}
	p := newProblems()
	for _, path := range opts.Files {
		dumpFile(opts, s, p, path)
	}
	if s.structured {
		for _, d := range s.files {
			d.Problems = p.linesFor(d.File)
		}
		if _, err := output.Structured(opts.IO.Out, opts.Output, s.files); err != nil {
			return err
		}
	}
	p.print(opts.IO.ErrOut)
	if s.failed {
		return clierr.ErrSilent
	}
	return nil
}

func dumpFile(opts *Options, s *sink, p *problems, path string) {
	name := filepath.Base(path)
	suffix := filepath.Ext(name)
	switch suffix {
	case ".log", ".index", ".timeindex", ".snapshot", ".txnindex":
	default:
		fmt.Fprintf(opts.IO.ErrOut, "Ignoring unknown file %s\n", path)
		return
	}
	s.startFile(path)
	base, err := baseOffset(name)
	if err != nil {
		s.fail(opts.IO.ErrOut, err)
		return
	}
	switch suffix {
	case ".log":
		err = dumpLog(opts, s, p, path, base)
	case ".index":
		err = dumpIndex(opts, s, p, path, base)
	case ".timeindex":
		err = dumpTimeIndex(opts, s, p, path, base)
	case ".snapshot":
		err = dumpSnapshot(opts, s, path)
	case ".txnindex":
		err = dumpTxnIndex(s, path)
	}
	if err != nil {
		s.fail(opts.IO.ErrOut, err)
	}
}

// baseOffset is the offset a segment file is named after: what precedes
// the first dot.
func baseOffset(name string) (int64, error) {
	digits, _, _ := strings.Cut(name, ".")
	o, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || o < 0 {
		return 0, fmt.Errorf("%s is not named after an offset (<20 digits>.log)", name)
	}
	return o, nil
}

// siblingPath is the file of the same segment with another suffix, named
// as Kafka finds it: the name up to its first dot, plus suffix.
func siblingPath(path, suffix string) string {
	stem, _, _ := strings.Cut(filepath.Base(path), ".")
	return filepath.Join(filepath.Dir(path), stem+suffix)
}
