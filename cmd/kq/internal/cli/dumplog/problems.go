package dumplog

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
)

// problems collects what the checks found, per file, to print after the
// dump as Kafka does. Files are named by absolute path, as Kafka names
// them.
type problems struct {
	indexMismatches   keyed // index offset, log offset
	timeMismatches    keyed // index timestamp, log timestamp
	outOfOrderTimes   keyed // index timestamp, previous index timestamp
	notFound          keyed // indexed offset, found log offset
	nonConsecutiveLog keyed // offset, the next offset
}

// keyed is pairs per file, files in the order they were first reported.
type keyed struct {
	files []string
	pairs map[string][][2]int64
}

func (k *keyed) add(path string, a, b int64) {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	if k.pairs == nil {
		k.pairs = map[string][][2]int64{}
	}
	if _, ok := k.pairs[path]; !ok {
		k.files = append(k.files, path)
	}
	k.pairs[path] = append(k.pairs[path], [2]int64{a, b})
}

func newProblems() *problems { return &problems{} }

func (p *problems) indexMismatch(path string, indexOffset, logOffset int64) {
	p.indexMismatches.add(path, indexOffset, logOffset)
}
func (p *problems) timestampMismatch(path string, indexTs, logTs int64) {
	p.timeMismatches.add(path, indexTs, logTs)
}
func (p *problems) outOfOrder(path string, indexTs, prevTs int64) {
	p.outOfOrderTimes.add(path, indexTs, prevTs)
}
func (p *problems) shallowNotFound(path string, indexOffset, logOffset int64) {
	p.notFound.add(path, indexOffset, logOffset)
}
func (p *problems) nonConsecutive(path string, first, second int64) {
	p.nonConsecutiveLog.add(path, first, second)
}

// print writes the reports in Kafka's order and words. Kafka lists index
// mismatches and non-consecutive offsets last found first (it prepends to
// a list); so does kq.
func (p *problems) print(w io.Writer) {
	for _, f := range p.indexMismatches.files {
		fmt.Fprintf(w, "Mismatches in :%s\n", f)
		for _, m := range reversed(p.indexMismatches.pairs[f]) {
			fmt.Fprintf(w, "  Index offset: %d, log offset: %d\n", m[0], m[1])
		}
	}
	for _, f := range p.timeMismatches.files {
		fmt.Fprintf(w, "Found timestamp mismatch in :%s\n", f)
		for _, m := range p.timeMismatches.pairs[f] {
			fmt.Fprintf(w, "  Index timestamp: %d, log timestamp: %d\n", m[0], m[1])
		}
	}
	for _, f := range p.outOfOrderTimes.files {
		fmt.Fprintf(w, "Found out of order timestamp in :%s\n", f)
		for _, m := range p.outOfOrderTimes.pairs[f] {
			fmt.Fprintf(w, "  Index timestamp: %d, Previously indexed timestamp: %d\n", m[0], m[1])
		}
	}
	for _, f := range p.notFound.files {
		fmt.Fprintln(w, "The following indexed offsets are not found in the log.")
		for _, m := range p.notFound.pairs[f] {
			fmt.Fprintf(w, "Indexed offset: %d, found log offset: %d\n", m[0], m[1])
		}
	}
	for _, f := range p.nonConsecutiveLog.files {
		fmt.Fprintf(w, "Non-consecutive offsets in %s\n", f)
		for _, m := range reversed(p.nonConsecutiveLog.pairs[f]) {
			fmt.Fprintf(w, "  %d is followed by %d\n", m[0], m[1])
		}
	}
}

// linesFor is what print writes about one file, without the file's
// heading, for -o json|yaml.
func (p *problems) linesFor(path string) []string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	var out []string
	add := func(k keyed, reverse bool, format string) {
		pairs := k.pairs[path]
		if reverse {
			pairs = reversed(pairs)
		}
		for _, m := range pairs {
			out = append(out, fmt.Sprintf(format, m[0], m[1]))
		}
	}
	add(p.indexMismatches, true, "Index offset: %d, log offset: %d")
	add(p.timeMismatches, false, "Index timestamp: %d, log timestamp: %d")
	add(p.outOfOrderTimes, false, "Index timestamp: %d, Previously indexed timestamp: %d")
	add(p.notFound, false, "Indexed offset: %d, found log offset: %d")
	add(p.nonConsecutiveLog, true, "%d is followed by %d")
	return out
}

func reversed(pairs [][2]int64) [][2]int64 {
	out := slices.Clone(pairs)
	slices.Reverse(out)
	return out
}
