package admin

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseProperties(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want map[string]string
	}{
		{"equals", "a=1\nb = 2\n", map[string]string{"a": "1", "b": "2"}},
		{"colon and blank", "a: 1\nb 2\n", map[string]string{"a": "1", "b": "2"}},
		{"comments", "# x=1\n! y=2\n  \nz=3", map[string]string{"z": "3"}},
		{"continuation", "list=a,\\\n    b,\\\n    c\n", map[string]string{"list": "a,b,c"}},
		{"escaped backslash ends line", "p=c:\\\\\nq=1", map[string]string{"p": `c:\`, "q": "1"}},
		{"escapes", `k=tab\there\u0041`, map[string]string{"k": "tab\thereA"}},
		{"escaped separator in key", `a\=b=c`, map[string]string{"a=b": "c"}},
		{"empty value", "ssl.endpoint.identification.algorithm=\n", map[string]string{"ssl.endpoint.identification.algorithm": ""}},
		{"jaas", `sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";`,
			map[string]string{"sasl.jaas.config": `org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";`}},
		{"last wins", "a=1\na=2", map[string]string{"a": "2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseProperties(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParsePropertiesBadUnicodeEscape(t *testing.T) {
	for _, in := range []string{`k=\u00`, `k=\uZZZZ`} {
		if _, err := ParseProperties(strings.NewReader(in)); err == nil {
			t.Errorf("%q: want an error", in)
		}
	}
}

func TestLoadProperties(t *testing.T) {
	path := filepath.Join(t.TempDir(), "client.properties")
	if err := os.WriteFile(path, []byte("bootstrap.servers=h:9092\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := LoadProperties(path)
	if err != nil || got["bootstrap.servers"] != "h:9092" {
		t.Fatalf("got %v, %v", got, err)
	}
	if _, err := LoadProperties(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Fatal("want an error for a missing file")
	}
}

func FuzzParseProperties(f *testing.F) {
	for _, seed := range []string{"a=1\n", "a\\\n=b", `\u12`, "k:v\r\n#c", "\\"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		props, err := ParseProperties(strings.NewReader(string(data)))
		if err == nil && props == nil {
			t.Fatal("nil map without error")
		}
	})
}

// TestParsePropertiesErrorHidesValue: a malformed line may hold a
// password; the error names the line only.
func TestParsePropertiesErrorHidesValue(t *testing.T) {
	_, err := ParseProperties(strings.NewReader("a=1\nsasl.password=hunter2\\uZZ\n"))
	if err == nil || !strings.Contains(err.Error(), "line 2") || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("err %v", err)
	}
}
