package messages

import (
	"strings"
	"testing"
	"unicode"

	"github.com/charmbracelet/x/ansi"
	"github.com/kqhq/kq/admin"
)

func TestEscaped(t *testing.T) {
	tests := []struct {
		in    string
		limit int
		want  string
	}{
		{"plain text", 100, "plain text"},
		{"a\nb\tc\rd\\e", 100, `a\nb\tc\rd\\e`},
		{"\x00\x01\x7f", 100, `\x00\x01\x7f`},
		{"\xff\xfeok", 100, `\xff\xfeok`},
		{"héllo wörld", 100, "héllo wörld"},
		{"\u200b", 100, `\u200b`},
		{"abcdef", 3, "abc…"},
		{"", 10, ""},
	}
	for _, tt := range tests {
		if got := escaped([]byte(tt.in), tt.limit); got != tt.want {
			t.Errorf("escaped(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsBinary(t *testing.T) {
	for in, want := range map[string]bool{"text\n": false, `{"a":1}`: false, "\x00\x01": true, "\xff": true, "": false} {
		if got := isBinary([]byte(in)); got != want {
			t.Errorf("isBinary(%q) = %v", in, got)
		}
	}
}

func TestByteSize(t *testing.T) {
	for n, want := range map[int]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 1536: "1.5 KiB", 32 << 20: "32.0 MiB"} {
		if got := byteSize(n); got != want {
			t.Errorf("byteSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestHexDump(t *testing.T) {
	got := hexDump([]byte("order-17\n\x00\xff"), 16)
	want := "00000000  6f 72 64 65 72 2d 31 37  0a 00 ff                 |order-17...|"
	if len(got) != 1 || got[0] != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
	eight := hexDump([]byte("0123456789"), 8)
	if len(eight) != 2 || eight[1] != "00000008  38 39                    |89|" {
		t.Fatalf("8 a line: %q", eight)
	}
	full := hexDump(make([]byte, 16), 16)[0]
	if len(full) != hexWidth(16) {
		t.Fatalf("a full line is %d wide, hexWidth says %d", len(full), hexWidth(16))
	}
}

func TestSearch(t *testing.T) {
	tests := []struct {
		typed   string
		text    string
		want    bool
		wantErr bool
	}{
		{"order", "New ORDER placed", true, false}, // lower case ignores case
		{"Order", "new order", false, false},       // a capital makes it exact
		{"a.c", "abc", false, false},               // a substring is literal
		{"/a.c/", "abc", true, false},
		{"/^ab", "abc", true, false}, // the closing slash is optional
		{"/(/", "", false, true},
	}
	for _, tt := range tests {
		s, err := compileSearch(tt.typed)
		if (err != nil) != tt.wantErr {
			t.Fatalf("%q: err %v", tt.typed, err)
		}
		if err != nil {
			continue
		}
		if got := len(s.spans(tt.text)) > 0; got != tt.want {
			t.Errorf("%q in %q: %v, want %v", tt.typed, tt.text, got, tt.want)
		}
	}
}

// FuzzEscaped feeds record bytes as they come from the network to what
// draws them: a cell stays one line of printable text within its limit,
// and the detail pane's hex dump and JSON check never fail.
func FuzzEscaped(f *testing.F) {
	f.Add([]byte("plain"), 10)
	f.Add([]byte("\x00\xff\n\t{\"a\":[1]}"), 3)
	f.Add([]byte("\u200b\u00e9\xe2\x82"), 1)
	f.Fuzz(func(t *testing.T, b []byte, limit int) {
		limit = max(0, limit%200)
		s := escaped(b, limit)
		if strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' }) {
			t.Fatalf("escaped(%q) = %q has an unprintable rune", b, s)
		}
		if w := ansi.StringWidth(s); w > 6*limit+1 && w > 7 {
			t.Fatalf("escaped(%q, %d) is %d wide", b, limit, w)
		}
		for _, line := range hexDump(b, 16) {
			if len(line) > hexWidth(16) {
				t.Fatalf("hex line %q too wide", line)
			}
		}
		_ = isJSONDocument(b)
	})
}

// TestSearchMatchesHeaders: / finds a record by a header's name or value
// as well as by its key and value.
func TestSearchMatchesHeaders(t *testing.T) {
	rec := admin.Record{Key: []byte("k-1"), Value: []byte("order placed"),
		Headers: []admin.Header{{Key: "trace-id", Value: []byte("abc123")}}}
	for typed, want := range map[string]bool{"k-1": true, "placed": true, "trace": true, "abc1": true, "/^abc/": true, "zzz": false} {
		s, err := compileSearch(typed)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.matches(&rec); got != want {
			t.Errorf("/%s: %v, want %v", typed, got, want)
		}
	}
}

// TestSearchNotUTF8: text that is not UTF-8 (raw bytes pasted after /) is
// an error shown to the user, never a panic.
func TestSearchNotUTF8(t *testing.T) {
	for _, typed := range []string{"\xff", "ab\xc3", "/\xff/"} {
		if _, err := compileSearch(typed); err == nil {
			t.Errorf("%q: no error", typed)
		}
	}
}
