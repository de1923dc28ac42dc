package messages

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/kqhq/kq/admin"
)

// TestBugViews: the Messages view's bugs of issue 19, each at 80x24 and
// at 60x15: null keys drawn in a key column sized for them, the copy file
// appended to, and a header that names its start once, readably, and
// says newest N is per partition on a whole topic.
func TestBugViews(t *testing.T) {
	nullKeys := []admin.Record{{Value: []byte("no key")}, {Key: []byte{}, Value: []byte("empty key")},
		{Value: nil}, {Value: []byte(`{"id":4,"note":"still no key"}`)}}
	tests := []struct {
		name  string
		opts  fixtureOptions
		stage func(f *fixture)
	}{
		{"null_keys", fixtureOptions{}, func(f *fixture) {
			f.produce(0, 0, nullKeys...)
			f.start()
			f.held(len(nullKeys))
		}},
		{"copy_appended", fixtureOptions{copyFile: "COPY"}, func(f *fixture) {
			f.produce(0, 0, orders(0, 3)...)
			f.start()
			f.held(3)
			f.keys("y")
			f.until("the first copy", func(m Model) bool { return strings.Contains(m.flash.text, "offset 2") })
			f.keys("k", "y")
			f.until("the second copy", func(m Model) bool { return strings.Contains(m.flash.text, "offset 1") })
		}},
		{"since_header", fixtureOptions{start: "since 2025-01-02T03:04:06.123456789Z"}, func(f *fixture) {
			f.produce(0, 0, orders(0, 3)...)
			f.start()
			f.held(1)
		}},
		{"newest_all_partitions", fixtureOptions{partition: AllPartitions}, func(f *fixture) {
			f.produce(0, 0, orders(0, 2)...)
			f.produce(1, 0, orders(10, 2)...)
			f.start()
			f.held(4)
		}},
	}
	for _, tt := range tests {
		for _, sz := range []struct{ width, height int }{{80, 24}, {60, 15}} {
			name := fmt.Sprintf("bug19_%s_%dx%d", tt.name, sz.width, sz.height)
			t.Run(name, func(t *testing.T) {
				opts := tt.opts
				opts.width, opts.height = sz.width, sz.height
				pkg, err := os.Getwd()
				if err != nil {
					t.Fatal(err)
				}
				if opts.copyFile != "" {
					// A short relative name, so the flash shows it whole.
					t.Chdir(t.TempDir())
					opts.copyFile = "copied.json"
				}
				f := newFixture(t, opts)
				tt.stage(f)
				view := f.m.View()
				checkFrame(t, view, sz.width, sz.height)
				if err := os.Chdir(pkg); err != nil { // where the goldens are
					t.Fatal(err)
				}
				golden(t, name, view)
			})
		}
	}
}

// TestNullKeyRowsLineUp: with null keys every row's cells start under
// their titles and SIZE is whole, at every width the view is tried at.
func TestNullKeyRowsLineUp(t *testing.T) {
	for _, width := range []int{60, 80, 100, 140} {
		f := newFixture(t, fixtureOptions{width: width, height: 15})
		f.produce(0, 0, admin.Record{Value: []byte("a")}, admin.Record{Value: []byte("bb")})
		f.start()
		f.held(2)
		lines := strings.Split(f.m.View(), "\n")
		header := lines[2]
		for _, row := range lines[3:5] {
			for _, title := range []string{"KEY", "VALUE"} {
				col := strings.Index(header, title)
				if col < 0 {
					t.Fatalf("width %d: no %s in %q", width, title, header)
				}
				r := []rune(row)
				at := len([]rune(header[:col]))
				if at >= len(r) || r[at] == ' ' || at > 0 && r[at-1] != ' ' {
					t.Errorf("width %d: %s cell not under its title:\n%s\n%s", width, title, header, row)
				}
			}
			if strings.Contains(row, "…") {
				t.Errorf("width %d: a cell cut: %q", width, row)
			}
		}
	}
}
