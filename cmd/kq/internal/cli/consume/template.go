package consume

import (
	"fmt"
	"strconv"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/escape"
)

// templateVerbs documents --format; the letters follow kcat and rpk.
const templateVerbs = `%t topic, %p partition, %o offset, %T timestamp (ms), %k key, %v or %s value,
%K key length, %V or %S value length, %h headers (k:v,k:v), %% a percent sign;
\n \t \r \\ are escapes. A null key or value prints as nothing.`

// templateFormatter writes each record through a --format template.
type templateFormatter struct{ parts []templatePart }

// templatePart is literal text, or one verb when verb != 0.
type templatePart struct {
	literal string
	verb    byte
}

func newTemplateFormatter(format string) (*templateFormatter, error) {
	format = escape.Unescape(format)
	var parts []templatePart
	lit := []byte{}
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			lit = append(lit, format[i])
			continue
		}
		if i+1 == len(format) {
			return nil, fmt.Errorf("--format %q ends with a lone %%", format)
		}
		i++
		switch v := format[i]; v {
		case '%':
			lit = append(lit, '%')
		case 't', 'p', 'o', 'T', 'k', 'v', 's', 'K', 'V', 'S', 'h':
			parts = append(parts, templatePart{literal: string(lit)}, templatePart{verb: v})
			lit = lit[:0]
		default:
			return nil, fmt.Errorf("--format: unknown verb %%%c (known: %s)", v, templateVerbs)
		}
	}
	parts = append(parts, templatePart{literal: string(lit)})
	return &templateFormatter{parts: parts}, nil
}

func (f *templateFormatter) append(dst []byte, r admin.Record) []byte {
	for _, p := range f.parts {
		if p.verb == 0 {
			dst = append(dst, p.literal...)
			continue
		}
		dst = appendVerb(dst, p.verb, r)
	}
	return dst
}

func appendVerb(dst []byte, verb byte, r admin.Record) []byte {
	switch verb {
	case 't':
		return append(dst, r.Topic...)
	case 'p':
		return strconv.AppendInt(dst, int64(r.Partition), 10)
	case 'o':
		return strconv.AppendInt(dst, r.Offset, 10)
	case 'T':
		return strconv.AppendInt(dst, r.Timestamp.UnixMilli(), 10)
	case 'k':
		return append(dst, r.Key...)
	case 'v', 's':
		return append(dst, r.Value...)
	case 'K':
		return strconv.AppendInt(dst, int64(len(r.Key)), 10)
	case 'V', 'S':
		return strconv.AppendInt(dst, int64(len(r.Value)), 10)
	default: // 'h'
		for i, h := range r.Headers {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(append(append(dst, h.Key...), ':'), h.Value...)
		}
		return dst
	}
}
