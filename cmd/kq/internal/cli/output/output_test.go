package output

import (
	"bytes"
	"testing"
)

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{"": Table, "TABLE": Table, "json": JSON, "yaml": YAML} {
		if got, err := ParseFormat(in); err != nil || got != want {
			t.Errorf("%q: got %q %v", in, got, err)
		}
	}
	if _, err := ParseFormat("xml"); err == nil {
		t.Error("xml accepted")
	}
}

func TestStructured(t *testing.T) {
	v := struct {
		Name  string `json:"name"`
		Count int    `json:"count"`
	}{"t", 3}
	tests := []struct {
		f    Format
		want string
		ok   bool
	}{
		{JSON, "{\n  \"name\": \"t\",\n  \"count\": 3\n}\n", true},
		{YAML, "name: t\ncount: 3\n", true},
		{Table, "", false},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		ok, err := Structured(&buf, tt.f, v)
		if err != nil || ok != tt.ok || buf.String() != tt.want {
			t.Errorf("%s: got %q %v %v", tt.f, buf.String(), ok, err)
		}
	}
}

func TestTable(t *testing.T) {
	var buf bytes.Buffer
	tw := NewTable(&buf, nil)
	tw.Header("ID", "HOST")
	tw.Row("1", "localhost")
	if err := tw.Flush(); err != nil {
		t.Fatal(err)
	}
	if want := "ID  HOST\n1   localhost\n"; buf.String() != want {
		t.Fatalf("got %q", buf.String())
	}
}
