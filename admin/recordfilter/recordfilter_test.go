package recordfilter

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/admin"
)

var now = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// order is a JSON record with a header, at offset 42 of partition 1.
var order = admin.Record{Topic: "orders", Partition: 1, Offset: 42, Timestamp: now.Add(-30 * time.Minute),
	Key: []byte("user-7"), Value: []byte(`{"user":{"id":7,"name":"Ada"},"total":120.5,"items":[{"sku":"A1","price":100},{"sku":"B2","price":20.5}],"big":9007199254740993}`),
	Headers: []admin.Header{{Key: "trace-id", Value: []byte("abc123")}, {Key: "source", Value: []byte("billing")}, {Key: "empty", Value: nil}}}

// plain is a text record with a null key and no headers, at offset 3 of
// partition 0.
var plain = admin.Record{Topic: "orders", Partition: 0, Offset: 3, Timestamp: now.Add(-2 * time.Hour),
	Value: []byte("Hello world")}

func TestMatch(t *testing.T) {
	tests := []struct {
		expr         string
		order, plain bool
	}{
		{"user-7", true, false},
		{"HELLO", false, false}, // a capital: case matters
		{"hello", false, true},  // none: case ignored
		{`"and"`, false, false},
		{"key:USER", false, false},
		{"key:user", true, false},
		{"key=user-7", true, false},
		{"key=user", false, false},
		{"key=null", false, true},
		{`key="null"`, false, false},
		{"key!=null", true, false},
		{"value~^\\{", true, false},
		{"value!~^\\{", false, true},
		{"value:world", false, true},
		{"header", true, false},
		{"header.trace-id", true, false},
		{"header.missing", false, false},
		{"header.source=billing", true, false},
		{"header.source!=billing", false, true},
		{"header.empty=null", true, false},
		{`header."trace-id"~^abc`, true, false},
		{"header:BILL", false, false},
		{"header:bill", true, false},
		{"header:trace", true, false}, // a name
		{"partition=1", true, false},
		{"partition=0,2", false, true},
		{"partition!=0,2", true, false},
		{"partition<1", false, true},
		{"offset>=42", true, false},
		{"offset>3", true, false},
		{"offset<=3", false, true},
		{"timestamp>=-1h", true, false},
		{"ts<-1h", false, true},
		{"timestamp>=2025-03-01T11:00:00Z", true, false},
		{"timestamp>=2025-03-01", true, true},
		{"timestamp<2025-03-01", false, false},
		{"timestamp=" + itoa(order.Timestamp.UnixMilli()), true, false},
		{"$.user.id=7", true, false},
		{"$.user.id=8", false, false},
		{`$.user.id="7"`, false, false}, // quoted: the string "7"
		{"$.user.name=Ada", true, false},
		{"$.user.name:ad", true, false},
		{"$.user.name~^A.a$", true, false},
		{"$.total>100", true, false},
		{"$.total<=100", false, false},
		{"$.big=9007199254740993", true, false},
		{"$.big=9007199254740992", false, false}, // exact beyond float64
		{"$.user", true, false},
		{"$.nothing", false, false},
		{"$.items[?@.price > 50].sku=A1", true, false},
		{"$.items[?@.price > 500]", false, false},
		{"$.items[*].sku!=Z9", true, true}, // nothing selected from plain: no value matches
		{"$.user:\"ada\"", true, false},
		{"key:user and value:ada", true, false},
		{"key:user value:nope", false, false},
		{"key:user or value:world", true, true},
		{"not key=null", true, false},
		{"!key=null", true, false},
		{"(partition=0 or offset=42) and not header", false, true},
		{"partition=1 and (hello or $.total>100)", true, false},
		{"key~user or value~World and partition=1", true, false}, // and before or
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			f, err := Parse(tt.expr, now)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := f.Match(&order); got != tt.order {
				t.Errorf("order: got %v, want %v", got, tt.order)
			}
			if got := f.Match(&plain); got != tt.plain {
				t.Errorf("plain: got %v, want %v", got, tt.plain)
			}
			if f.String() != tt.expr {
				t.Errorf("String() = %q", f.String())
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestParseErrors(t *testing.T) {
	tests := []struct{ expr, want string }{
		{"", "empty filter"},
		{"   ", "empty filter"},
		{"foo:bar", `unknown field "foo" at column 1`},
		{"key", "key needs an operator and a value, as in key:TEXT"},
		{"partition", "partition=0"},
		{"key:", ": at column 4 needs a value"},
		{"key: x", ": at column 4 needs a value"},
		{"key~(", "invalid regular expression"},
		{"partition:x", `"x" is not a number`},
		{"partition<1,2", "a list goes with = or != only"},
		{"offset~1", "offset takes =, !=, <, <=, > or >="},
		{"key<3", "key takes :, =, !=, ~ or !~"},
		{"timestamp>yesterday", "want epoch milliseconds"},
		{"(key:a", "missing ) for the ( at column 1"},
		{"key:a)", `unexpected ")" at column 6`},
		{`key:"abc`, "unterminated string starting at column 5"},
		{"$.a[?@.b", "unterminated JSONPath"},
		{"$.a..", "JSONPath $.a.. at column 1"},
		{"and key:a", `"and" at column 1 needs a term before it`},
		{"key:a or", "unexpected end of the expression"},
		{"not", "unexpected end of the expression"},
		{"$.a>", "> at column 4 needs a value"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			_, err := Parse(tt.expr, now)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error with %q", err, tt.want)
			}
		})
	}
}

func TestQuoteRoundTrip(t *testing.T) {
	for _, text := range []string{"a b", `q"uote`, `back\slash`, "new\nline", "and", "key:x", "'"} {
		f, err := Parse(Quote(text), now)
		if err != nil {
			t.Fatalf("Parse(%s): %v", Quote(text), err)
		}
		if !f.Match(&admin.Record{Value: []byte("<" + text + ">")}) || f.Match(&admin.Record{Value: []byte("<>")}) {
			t.Errorf("Quote(%q) = %s does not find exactly the text", text, Quote(text))
		}
	}
}

func TestContainsFoldsCase(t *testing.T) {
	tests := []struct {
		text, value string
		want        bool
	}{
		{"abc", "xxABCxx", true},
		{"abc", "xxabxx", false},
		{"Abc", "xxabcxx", false}, // a capital: case matters
		{"Abc", "xxAbcxx", true},
		{"-x", "a\rX-X", true}, // \r|0x20 is '-': the fold check must not be fooled
		{"-x", "a\rx", false},
		{"é", "CAFÉ", true}, // Unicode folding through a regular expression
		{"", "", true},
	}
	for _, tt := range tests {
		f, err := Parse("value:"+Quote(tt.text), now)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Match(&admin.Record{Value: []byte(tt.value)}); got != tt.want {
			t.Errorf("value:%q on %q: got %v", tt.text, tt.value, got)
		}
	}
}

// FuzzParse checks that no expression makes Parse or Match panic, and that
// what parses once parses again.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{"key:a", "$.a[?@.b==1].c>=2 or !(header.x~^y)", `header."a b"="c d"`,
		"partition=0,1 offset>=5 ts<-1h", "((", "$[", `'\`, "not not x", "key=null", "$..*:x"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		flt, err := Parse(expr, now)
		if err != nil {
			return
		}
		flt.Match(&order)
		flt.Match(&plain)
		flt.Match(&admin.Record{})
		if _, err := Parse(flt.String(), now); err != nil {
			t.Fatalf("%q parsed, then not: %v", expr, err)
		}
	})
}
