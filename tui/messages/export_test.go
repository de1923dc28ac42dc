package messages

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/recordjson"
)

// exportTo types w, the path and enter, and waits for the outcome.
func (f *fixture) exportTo(path string) string {
	f.t.Helper()
	f.keys("w", "ctrl+u")
	f.typeText(path)
	f.keys("enter")
	f.until("the export", func(m Model) bool { return m.flash.text != "" })
	return f.m.flash.text
}

func TestExportJSONLinesAsConsumePrintsThem(t *testing.T) {
	f := newFixture(t, fixtureOptions{partition: AllPartitions, start: "oldest"})
	threePartitions(f)
	f.produce(0, 0, admin.Record{Key: nil, Value: []byte{0xff, 0}, Headers: []admin.Header{{Key: "n", Value: nil}}})
	f.start()
	f.held(151)
	path := filepath.Join(t.TempDir(), "all.jsonl")
	if got := f.exportTo(path); got != "exported 151 records to "+path+" (JSON lines, as kq consume -o json)" {
		t.Fatalf("flash %q", got)
	}
	var want []byte
	for i := range f.m.buf.Len() {
		want = recordjson.Append(want, f.m.buf.At(i).rec)
	}
	if got, err := os.ReadFile(path); err != nil || string(got) != string(want) {
		t.Fatalf("file (%v):\n%.400s\nwant:\n%.400s", err, got, want)
	}

	// An existing file stays unless the name ends with !.
	f.keys("/")
	f.typeText("t-14")
	f.keys("enter")
	if got := f.exportTo(path); !strings.Contains(got, "exists: name another file, or end the name with ! to overwrite it") {
		t.Fatalf("flash %q", got)
	}
	if got := f.exportTo(path + "!"); got != "exported 3 records to "+path+" (JSON lines, as kq consume -o json)" {
		t.Fatalf("flash %q", got) // the search's matches: t-14, t-140 and t-147
	}
	if got, _ := os.ReadFile(path); strings.Count(string(got), "\n") != 3 || !strings.Contains(string(got), `"t-147"`) {
		t.Fatalf("file:\n%s", got)
	}
}

func TestExportCSV(t *testing.T) {
	f := newFixture(t, fixtureOptions{start: "oldest"})
	f.produce(0, 0, admin.Record{Key: []byte("k,1"), Value: []byte("line \"one\"\nand two"),
		Headers: []admin.Header{{Key: "h", Value: []byte("x")}}})
	f.produce(0, 0, admin.Record{Key: nil, Value: []byte{0xff, 0}})
	f.start()
	f.held(2)
	path := filepath.Join(t.TempDir(), "two.CSV")
	if got := f.exportTo(path); got != "exported 2 records to "+path+" (CSV)" {
		t.Fatalf("flash %q", got)
	}
	file, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	rows, err := csv.NewReader(file).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{csvHeader,
		{"orders", "0", "0", "1735787045000", "k,1", "line \"one\"\nand two", `[{"key":"h","value":"x"}]`},
		{"orders", "0", "1", "1735787045000", "", "base64:/wA=", "[]"}}
	if len(rows) != len(want) {
		t.Fatalf("rows %q", rows)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Fatalf("row %d: %q, want %q", i, rows[i], want[i])
		}
	}
}

func TestExportFailureIsShown(t *testing.T) {
	f := newFixture(t, fixtureOptions{})
	f.start()
	got := f.exportTo(filepath.Join(t.TempDir(), "no", "such", "dir.jsonl"))
	if !strings.HasPrefix(got, "export: open ") || !f.m.flash.bad {
		t.Fatalf("flash %q", got)
	}
}

func TestExportExpandsHome(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	f := newFixture(t, fixtureOptions{start: "oldest"})
	f.produce(0, 0, orders(0, 2)...)
	f.start()
	f.held(2)
	want := filepath.Join(home, "out.jsonl")
	if got := f.exportTo("~/out.jsonl"); got != "exported 2 records to "+want+" (JSON lines, as kq consume -o json)" {
		t.Fatalf("flash %q", got)
	}
	if _, err := os.Stat(want); err != nil {
		t.Fatal(err)
	}
}
