package produce

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/escape"
)

// inputTemplate reads a line through --format, the input counterpart of
// consume's --format: %k key, %v value, %t topic, %p partition, %T
// timestamp (ms), %% a percent sign, literal text in between. Each verb
// takes the text up to the next literal (the rest of the line for the
// last one); a trailing \n in the format is the line end itself.
type inputTemplate struct {
	prefix string
	fields []templateField
}

type templateField struct {
	verb  byte
	until string // the literal that ends the field; "" for end of line
}

// inputVerbs are the verbs --format accepts on input.
const inputVerbs = "%k key, %v value, %t topic, %p partition, %T timestamp (ms), %% percent"

func parseInputTemplate(format string) (*inputTemplate, error) {
	format = strings.TrimSuffix(escape.Unescape(format), "\n")
	t := &inputTemplate{}
	var lit strings.Builder
	seen := map[byte]bool{}
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			lit.WriteByte(format[i])
			continue
		}
		if i+1 == len(format) {
			return nil, fmt.Errorf("--format %q ends with a lone %%", format)
		}
		i++
		v := format[i]
		switch {
		case v == '%':
			lit.WriteByte('%')
			continue
		case !strings.ContainsRune("kvtpT", rune(v)):
			return nil, fmt.Errorf("--format: unknown verb %%%c (known: %s)", v, inputVerbs)
		case seen[v]:
			return nil, fmt.Errorf("--format: %%%c appears twice", v)
		}
		seen[v] = true
		t.endLiteral(lit.String())
		lit.Reset()
		t.fields = append(t.fields, templateField{verb: v})
	}
	t.endLiteral(lit.String())
	return t, t.check()
}

// endLiteral attaches literal text to the field before it, or the prefix.
func (t *inputTemplate) endLiteral(lit string) {
	if len(t.fields) == 0 {
		t.prefix += lit
		return
	}
	t.fields[len(t.fields)-1].until += lit
}

func (t *inputTemplate) check() error {
	if len(t.fields) == 0 {
		return fmt.Errorf("--format has no verb (known: %s)", inputVerbs)
	}
	for _, f := range t.fields[:len(t.fields)-1] {
		if f.until == "" {
			return fmt.Errorf("--format: %%%c must be followed by literal text to know where it ends", f.verb)
		}
	}
	return nil
}

// has reports whether the template sets the field of verb.
func (t *inputTemplate) has(verb byte) bool {
	for _, f := range t.fields {
		if f.verb == verb {
			return true
		}
	}
	return false
}

func (t *inputTemplate) parse(line []byte, lineNo int) (admin.Record, error) {
	rec := admin.Record{Partition: admin.AnyPartition}
	rest, ok := bytes.CutPrefix(line, []byte(t.prefix))
	if !ok {
		return rec, fmt.Errorf("line %d does not start with %q as --format expects", lineNo, t.prefix)
	}
	for i, f := range t.fields {
		value := rest
		if f.until != "" {
			var found bool
			if value, rest, found = bytes.Cut(rest, []byte(f.until)); !found {
				return rec, fmt.Errorf("line %d: %q after %%%c not found", lineNo, f.until, f.verb)
			}
		} else if i < len(t.fields)-1 {
			return rec, fmt.Errorf("line %d: %%%c has no end", lineNo, f.verb)
		}
		if err := setField(&rec, f.verb, value); err != nil {
			return rec, fmt.Errorf("line %d: %w", lineNo, err)
		}
	}
	return rec, nil
}

func setField(rec *admin.Record, verb byte, value []byte) error {
	switch verb {
	case 'k':
		rec.Key = bytes.Clone(value)
	case 'v':
		rec.Value = bytes.Clone(value)
	case 't':
		rec.Topic = string(value)
	case 'p':
		p, err := strconv.ParseInt(string(value), 10, 32)
		if err != nil || p < 0 {
			return fmt.Errorf("partition %q is not a partition number", value)
		}
		rec.Partition = int32(p)
	case 'T':
		ms, err := strconv.ParseInt(string(value), 10, 64)
		if err != nil {
			return fmt.Errorf("timestamp %q is not epoch milliseconds", value)
		}
		rec.Timestamp = time.UnixMilli(ms)
	}
	return nil
}
