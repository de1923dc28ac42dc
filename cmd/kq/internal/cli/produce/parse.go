package produce

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/escape"
)

// LineFormat is how a text line becomes a record: Kafka's console
// producer properties (LineMessageReader).
type LineFormat struct {
	ParseKey            bool   // parse.key
	KeySeparator        string // key.separator, default "\t"
	ParseHeaders        bool   // parse.headers
	HeadersDelimiter    string // headers.delimiter, default "\t": ends the headers
	HeadersSeparator    string // headers.separator, default ",": between headers
	HeadersKeySeparator string // headers.key.separator, default ":"
	IgnoreError         bool   // ignore.error: a missing separator is not an error
	NullMarker          string // null.marker: this exact text is null
	HasNullMarker       bool
}

// DefaultLineFormat is Kafka's: the whole line is the value.
func DefaultLineFormat() LineFormat {
	return LineFormat{KeySeparator: "\t", HeadersDelimiter: "\t", HeadersSeparator: ",", HeadersKeySeparator: ":"}
}

// readerProperties are the --property keys the line format reads.
var readerProperties = []string{"parse.key", "key.separator", "parse.headers", "headers.delimiter",
	"headers.separator", "headers.key.separator", "ignore.error", "null.marker"}

// apply sets one --property; it reports false for keys it does not know.
// Separators may be typed with escapes (key.separator=\t).
func (f *LineFormat) apply(key, value string) bool {
	isTrue := strings.EqualFold(strings.TrimSpace(value), "true")
	if strings.HasSuffix(key, "separator") || strings.HasSuffix(key, "delimiter") {
		value = escape.Unescape(value)
	}
	switch key {
	case "parse.key":
		f.ParseKey = isTrue
	case "key.separator":
		f.KeySeparator = value
	case "parse.headers":
		f.ParseHeaders = isTrue
	case "headers.delimiter":
		f.HeadersDelimiter = value
	case "headers.separator":
		f.HeadersSeparator = value
	case "headers.key.separator":
		f.HeadersKeySeparator = value
	case "ignore.error":
		f.IgnoreError = isTrue
	case "null.marker":
		f.NullMarker, f.HasNullMarker = value, true
	default:
		return false
	}
	return true
}

// check rejects separators that make lines ambiguous, as Kafka does.
func (f *LineFormat) check() error {
	pairs := [][2]string{
		{"headers.delimiter", "headers.separator"}, {"headers.delimiter", "headers.key.separator"},
		{"headers.separator", "headers.key.separator"},
	}
	values := map[string]string{"key.separator": f.KeySeparator, "headers.delimiter": f.HeadersDelimiter,
		"headers.separator": f.HeadersSeparator, "headers.key.separator": f.HeadersKeySeparator}
	for _, p := range pairs {
		if values[p[0]] == values[p[1]] {
			return fmt.Errorf("%s and %s may not be equal", p[0], p[1])
		}
	}
	for _, name := range []string{"key.separator", "headers.separator", "headers.delimiter", "headers.key.separator"} {
		if f.HasNullMarker && values[name] == f.NullMarker {
			return fmt.Errorf("null.marker and %s may not be equal", name)
		}
		if values[name] == "" {
			return fmt.Errorf("%s may not be empty", name)
		}
	}
	return nil
}

// parse turns one line into a record's key, value and headers. The line's
// bytes are copied, so the record owns them.
func (f *LineFormat) parse(line []byte, lineNo int) (admin.Record, error) {
	var rec admin.Record
	rest := line
	if f.ParseHeaders {
		headers, after, found := bytes.Cut(rest, []byte(f.HeadersDelimiter))
		switch {
		case found:
			var err error
			if rec.Headers, err = f.parseHeaders(headers, lineNo); err != nil {
				return rec, err
			}
			rest = after
		case !f.IgnoreError:
			return rec, fmt.Errorf("No headers delimiter found on line number %d: '%s'", lineNo, line)
		}
	}
	if f.ParseKey {
		key, after, found := bytes.Cut(rest, []byte(f.KeySeparator))
		switch {
		case found:
			rec.Key, rest = f.nullable(key), after
		case !f.IgnoreError:
			return rec, fmt.Errorf("No key separator found on line number %d: '%s'", lineNo, line)
		}
	}
	rec.Value = f.nullable(rest)
	return rec, nil
}

// nullable copies b, or returns nil for the null marker.
func (f *LineFormat) nullable(b []byte) []byte {
	if f.HasNullMarker && string(b) == f.NullMarker {
		return nil
	}
	return bytes.Clone(b) // never nil for b != nil: empty stays empty, not null
}

func (f *LineFormat) parseHeaders(section []byte, lineNo int) ([]admin.Header, error) {
	if f.HasNullMarker && string(section) == f.NullMarker {
		return nil, nil
	}
	var out []admin.Header
	for _, pair := range bytes.Split(section, []byte(f.HeadersSeparator)) {
		if len(pair) == 0 {
			continue
		}
		key, value, found := bytes.Cut(pair, []byte(f.HeadersKeySeparator))
		if !found {
			if !f.IgnoreError {
				return nil, fmt.Errorf("No header key separator found in pair '%s' on line number %d", pair, lineNo)
			}
			out = append(out, admin.Header{Key: string(pair)})
			continue
		}
		if f.HasNullMarker && string(key) == f.NullMarker {
			return nil, fmt.Errorf("Header keys should not be equal to the null marker '%s' as they can't be null", f.NullMarker)
		}
		out = append(out, admin.Header{Key: string(key), Value: f.nullable(value)})
	}
	return out, nil
}
