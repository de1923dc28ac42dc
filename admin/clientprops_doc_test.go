package admin

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var updateDoc = flag.Bool("update", false, "rewrite the property table in docs/client-properties.md")

const (
	docPath    = "../docs/client-properties.md"
	tableStart = "<!-- table:start -->\n"
	tableEnd   = "<!-- table:end -->"
)

// docTable renders the client-property table as the documentation shows it.
func docTable() string {
	var b strings.Builder
	b.WriteString("| Property | Scope | What kq does |\n|---|---|---|\n")
	for _, p := range ClientProperties() {
		text := p.Meaning
		if p.Refused != "" {
			text = "refused: " + p.Refused
		}
		b.WriteString("| `" + p.Name + "` | " + p.Scope.String() + " | " + strings.ReplaceAll(text, "|", `\|`) + " |\n")
	}
	return b.String()
}

// TestClientPropertiesDoc: the documentation's table is the code's table,
// row for row, so neither can change without the other.
func TestClientPropertiesDoc(t *testing.T) {
	raw, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	start, end := strings.Index(doc, tableStart), strings.Index(doc, tableEnd)
	if start < 0 || end < start {
		t.Fatalf("%s: the table markers are missing", docPath)
	}
	got, want := doc[start+len(tableStart):end], docTable()
	if *updateDoc {
		doc = doc[:start+len(tableStart)] + want + doc[end:]
		if err := os.WriteFile(docPath, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	gotRows, wantRows := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < max(len(gotRows), len(wantRows)); i++ {
		var g, w string
		if i < len(gotRows) {
			g = gotRows[i]
		}
		if i < len(wantRows) {
			w = wantRows[i]
		}
		if g != w {
			t.Fatalf("%s row %d differs from the code's table (go test ./admin -run TestClientPropertiesDoc -update rewrites it):\n doc:  %s\n code: %s", docPath, i+1, g, w)
		}
	}
}
