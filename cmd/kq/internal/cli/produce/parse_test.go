package produce

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/kqhq/kq/admin"
)

func TestLineReader(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want []string // "!" marks a too-long line
	}{
		{"simple", "a\nb\n", 10, []string{"a", "b"}},
		{"no final newline", "a\nb", 10, []string{"a", "b"}},
		{"crlf", "a\r\nb\r\n", 10, []string{"a", "b"}},
		{"empty lines kept", "\n\nx\n", 10, []string{"", "", "x"}},
		{"too long skipped", "aaaa\nbbbbbbbbbbbbbbbbbbbb\ncc\n", 5, []string{"aaaa", "!", "cc"}},
		{"exactly max", "12345\n", 5, []string{"12345"}},
		{"max plus one", "123456\n", 5, []string{"!"}},
		{"long at EOF", strings.Repeat("z", 50), 10, []string{"!"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lr := newLineReader(strings.NewReader(tt.in), tt.max)
			var got []string
			for {
				line, err := lr.next()
				if errors.Is(err, io.EOF) {
					break
				}
				var tooLong *errLineTooLong
				switch {
				case errors.As(err, &tooLong):
					got = append(got, "!")
				case err != nil:
					t.Fatal(err)
				default:
					got = append(got, string(line))
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLineReaderLongLinesAcrossBuffers(t *testing.T) {
	big := strings.Repeat("x", 700<<10) // beyond the 256 KiB bufio buffer
	lr := newLineReader(strings.NewReader(big+"\nshort\n"), 1<<20)
	line, err := lr.next()
	if err != nil || len(line) != len(big) {
		t.Fatalf("got %d bytes, %v", len(line), err)
	}
	if line, err := lr.next(); err != nil || string(line) != "short" || lr.lineNo != 2 {
		t.Fatalf("got %q %v line %d", line, err, lr.lineNo)
	}
}

func TestLineFormatParse(t *testing.T) {
	keyed := DefaultLineFormat()
	keyed.ParseKey, keyed.KeySeparator = true, ":"
	headed := DefaultLineFormat()
	headed.ParseHeaders, headed.ParseKey = true, true
	lenient := keyed
	lenient.IgnoreError = true
	nulls := keyed
	nulls.NullMarker, nulls.HasNullMarker = "NULL", true
	tests := []struct {
		name    string
		f       LineFormat
		line    string
		want    admin.Record
		wantErr string
	}{
		{"value only", DefaultLineFormat(), "a:b", admin.Record{Value: []byte("a:b")}, ""},
		{"empty value is not null", DefaultLineFormat(), "", admin.Record{Value: []byte{}}, ""},
		{"key", keyed, "k:v:w", admin.Record{Key: []byte("k"), Value: []byte("v:w")}, ""},
		{"missing key separator", keyed, "kv", admin.Record{}, "No key separator found on line number 3: 'kv'"},
		{"ignore.error", lenient, "kv", admin.Record{Value: []byte("kv")}, ""},
		{"null marker", nulls, "NULL:NULL", admin.Record{}, ""},
		{"headers", headed, "a:1,b:2\tk\tv", admin.Record{Key: []byte("k"), Value: []byte("v"),
			Headers: []admin.Header{{Key: "a", Value: []byte("1")}, {Key: "b", Value: []byte("2")}}}, ""},
		{"missing headers delimiter", headed, "novalue", admin.Record{}, "No headers delimiter found on line number 3"},
		{"bad header pair", headed, "a\tk\tv", admin.Record{}, "No header key separator found in pair 'a' on line number 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.f.parse([]byte(tt.line), 3)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v %v, want %+v", got, err, tt.want)
			}
		})
	}
}

func TestLineFormatCheck(t *testing.T) {
	f := DefaultLineFormat()
	f.HeadersSeparator = "\t"
	if err := f.check(); err == nil || !strings.Contains(err.Error(), "headers.delimiter and headers.separator may not be equal") {
		t.Fatalf("got %v", err)
	}
	f = DefaultLineFormat()
	f.NullMarker, f.HasNullMarker = "\t", true
	if err := f.check(); err == nil {
		t.Fatal("null.marker equal to key.separator accepted")
	}
}
