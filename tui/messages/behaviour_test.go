package messages

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/recordjson"
	"github.com/kqhq/kq/tui/styles"
)

// selected is the offset under the cursor, -1 for none.
func (f *fixture) selected() int64 {
	if !f.m.sel.valid {
		return -1
	}
	return f.m.buf.At(f.m.sel.index).rec.Offset
}

// offsets lists the offsets held, oldest first.
func (f *fixture) offsets() []int64 {
	var out []int64
	for i := range f.m.buf.Len() {
		out = append(out, f.m.buf.At(i).rec.Offset)
	}
	return out
}

func span(from, to int64) []int64 {
	var out []int64
	for o := from; o <= to; o++ {
		out = append(out, o)
	}
	return out
}

func TestStartPositionsAskTheSource(t *testing.T) {
	since := t0.Add(10 * time.Second)
	tests := []struct {
		typed     string
		wantCalls []string
		wantFirst int64
	}{
		{"oldest", nil, 0},
		{"newest 5", nil, 25},
		{"live", nil, 30},
		{"offset 7", nil, 7},
		{"since " + since.Format(time.RFC3339), []string{fmt.Sprintf("ListOffsets %d [orders]", since.UnixMilli())}, 10},
	}
	for _, tt := range tests {
		t.Run(tt.typed, func(t *testing.T) {
			f := newFixture(t, fixtureOptions{})
			f.produce(0, 0, orders(0, 30)...)
			f.start()
			first := f.src.consumers[0]
			f.src.takeCalls()
			f.keys("s", "ctrl+u")
			f.typeText(tt.typed)
			f.keys("enter")
			f.until("the new tail", func(m Model) bool { return m.state == stateTailing && m.tail.polling })
			want := append([]string{"ListOffsets -2 [orders]", "ListOffsets -1 [orders]"}, tt.wantCalls...)
			want = append(want, fmt.Sprintf("NewConsumer map[orders:map[0:%d]]", tt.wantFirst))
			if got := f.src.takeCalls(); !slices.Equal(got, want) {
				t.Fatalf("calls:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			f.held(int(30 - tt.wantFirst))
			f.until("the first consumer closed", func(Model) bool { return first.closed.Load() })
		})
	}
}

func TestBoundWhileFollowing(t *testing.T) {
	f := newFixture(t, fixtureOptions{limits: Limits{Records: 50}})
	f.start()
	for i := range 4 {
		f.produce(0, time.Duration(i*50)*time.Second, orders(i*50, 50)...)
		f.until("the batch", func(m Model) bool { return f.selected() == int64(i*50+49) })
	}
	if got := f.offsets(); !slices.Equal(got, span(150, 199)) {
		t.Fatalf("held %v, want the newest 50", got)
	}
	if f.m.stalled || !f.m.follow {
		t.Fatalf("stalled %v follow %v", f.m.stalled, f.m.follow)
	}
}

func TestFollowAndStay(t *testing.T) {
	f := newFixture(t, fixtureOptions{})
	f.produce(0, 0, orders(0, 30)...)
	f.start()
	f.held(30)
	if f.selected() != 29 {
		t.Fatalf("cursor on %d, want the newest 29", f.selected())
	}
	f.produce(0, 30*time.Second, orders(30, 5)...)
	f.held(35)
	if f.selected() != 34 {
		t.Fatalf("following: cursor on %d, want 34", f.selected())
	}
	f.keys("k", "k", "k")
	row := f.m.row() - f.m.top
	f.produce(0, 40*time.Second, orders(35, 5)...)
	f.held(40)
	if f.selected() != 31 || f.m.row()-f.m.top != row || f.m.follow {
		t.Fatalf("not following: cursor on %d at screen row %d (was %d), follow %v", f.selected(), f.m.row()-f.m.top, row, f.m.follow)
	}
	f.keys("G")
	f.produce(0, 50*time.Second, orders(40, 1)...)
	f.held(41)
	if f.selected() != 40 {
		t.Fatalf("after G: cursor on %d, want 40", f.selected())
	}
}

func TestReadingHistoryNeverDropsWhatIsRead(t *testing.T) {
	f := newFixture(t, fixtureOptions{start: "oldest", limits: Limits{Records: 20}})
	f.produce(0, 0, orders(0, 30)...)
	f.start()
	f.until("the stall", func(m Model) bool { return m.stalled })
	if got := f.offsets(); !slices.Equal(got, span(0, 19)) || f.selected() != 0 {
		t.Fatalf("held %v cursor %d, want 0..19 from the first", got, f.selected())
	}
	f.keys("pgdown")
	if f.m.tail.polling {
		t.Fatal("polling while the buffer is full and not following")
	}
	f.keys("G")
	f.until("the newest", func(m Model) bool { return f.selected() == 29 })
	if got := f.offsets(); !slices.Equal(got, span(10, 29)) || f.m.stalled {
		t.Fatalf("held %v stalled %v", got, f.m.stalled)
	}
}

func TestPauseHoldsNewRecords(t *testing.T) {
	f := newFixture(t, fixtureOptions{})
	f.produce(0, 0, orders(0, 5)...)
	f.start()
	f.held(5)
	f.keys("p")
	f.produce(0, 10*time.Second, orders(5, 3)...)
	// The poll under way when p was pressed returns what it found.
	f.until("the batch held", func(m Model) bool { return len(m.held) > 0 })
	f.produce(0, 20*time.Second, orders(8, 3)...)
	if f.m.buf.Len() != 5 || f.m.tail.polling {
		t.Fatalf("paused view took records (%d) or polls again (%v)", f.m.buf.Len(), f.m.tail.polling)
	}
	f.keys("p")
	f.held(11)
}

func TestSearchNextPrevious(t *testing.T) {
	f := newFixture(t, fixtureOptions{})
	f.produce(0, 0, orders(0, 30)...)
	f.start()
	f.held(30)
	f.keys("/")
	f.typeText("order-1")
	f.keys("enter")
	if f.m.rowCount() != 11 || f.selected() != 19 {
		t.Fatalf("%d rows, cursor %d; want 11 matches, cursor on 19", f.m.rowCount(), f.selected())
	}
	steps := []struct {
		key       string
		want      int64
		wantFlash string
	}{
		{"N", 18, ""}, {"n", 19, ""}, {"n", 1, "search wrapped around"}, {"N", 19, "search wrapped around"},
		{"g", 1, ""}, {"n", 10, ""},
	}
	for _, s := range steps {
		f.keys(s.key)
		if f.selected() != s.want || f.m.flash.text != s.wantFlash {
			t.Fatalf("after %s: cursor %d flash %q, want %d %q", s.key, f.selected(), f.m.flash.text, s.want, s.wantFlash)
		}
	}
	f.produce(0, 30*time.Second, admin.Record{Value: []byte("order-100")}, admin.Record{Value: []byte("other")})
	f.held(32)
	if f.m.rowCount() != 12 || f.selected() != 10 {
		t.Fatalf("new records: %d rows, cursor %d; want the new match counted and the cursor kept", f.m.rowCount(), f.selected())
	}
	f.keys("esc")
	if f.m.search.active() || f.m.rowCount() != 32 || f.selected() != 10 || f.closed {
		t.Fatalf("esc: search %v rows %d cursor %d closed %v", f.m.search.active(), f.m.rowCount(), f.selected(), f.closed)
	}
}

func TestInvalidRegexpKeepsTheLastSearch(t *testing.T) {
	f := newFixture(t, fixtureOptions{})
	f.produce(0, 0, orders(0, 30)...)
	f.start()
	f.held(30)
	f.keys("/")
	f.typeText("/order-2(")
	if f.m.searchErr == nil || f.m.search.text != "/order-2" {
		t.Fatalf("search %q err %v", f.m.search.text, f.m.searchErr)
	}
	if !strings.Contains(f.m.View(), "invalid regular expression") {
		t.Fatal("the error is not on screen")
	}
	f.keys("enter")
	if !f.m.flash.bad || f.m.rowCount() != 11 { // order-2 and order-20..29
		t.Fatalf("flash %+v rows %d", f.m.flash, f.m.rowCount())
	}
}

func TestCopyAsJSON(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "copied.json")
	var clip bytes.Buffer
	f := newFixture(t, fixtureOptions{copyFile: file, clipboard: &clip})
	rec := admin.Record{Key: []byte("k"), Value: []byte("v\x00\xff"), Headers: []admin.Header{{Key: "h", Value: []byte("x")}}}
	f.produce(0, 0, orders(0, 3)...)
	f.produce(0, 5*time.Second, rec)
	f.start()
	f.held(4)
	f.keys("y")
	f.until("the copy", func(m Model) bool { return m.flash.text != "" })
	if f.m.flash.bad || f.m.flash.text != "copied offset 3 (partition 0) as JSON to the clipboard, appended to "+file {
		t.Fatalf("flash %+v", f.m.flash)
	}
	want := recordjson.Append(nil, f.cluster.Records("orders", 0)[3])
	got, err := os.ReadFile(file)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("copy file %q (%v), want %q", got, err, want)
	}
	osc := "\x1b]52;c;" + base64.StdEncoding.EncodeToString(bytes.TrimSuffix(want, []byte("\n"))) + "\a"
	if clip.String() != osc {
		t.Fatalf("clipboard got %q, want %q", clip.String(), osc)
	}
	// From the detail pane, of the record shown.
	f.keys("k", "enter", "y")
	f.until("the second copy", func(m Model) bool { return strings.Contains(m.flash.text, "offset 2") })
	// The file keeps every record copied, one JSON line each.
	want = append(want, recordjson.Append(nil, f.cluster.Records("orders", 0)[2])...)
	if got, _ := os.ReadFile(file); !bytes.Equal(got, want) {
		t.Fatalf("copy file after copying offset 2:\n%s\nwant\n%s", got, want)
	}
}

func TestCopyFailureIsShown(t *testing.T) {
	f := newFixture(t, fixtureOptions{copyFile: filepath.Join(t.TempDir(), "missing", "x.json")})
	f.produce(0, 0, orders(0, 1)...)
	f.start()
	f.held(1)
	f.keys("y")
	f.until("the copy", func(m Model) bool { return m.flash.text != "" })
	if !f.m.flash.bad || !strings.Contains(f.m.flash.text, "missing") {
		t.Fatalf("flash %+v", f.m.flash)
	}
}

func TestEscClosesTheViewAndItsConsumer(t *testing.T) {
	f := newFixture(t, fixtureOptions{})
	f.start()
	f.keys("enter") // nothing to open: stays on the table
	f.keys("esc")
	f.until("ClosedMsg", func(Model) bool { return f.closed })
	f.until("the consumer closed", func(Model) bool { return f.src.consumers[0].closed.Load() })
}

func TestFailuresAreRetried(t *testing.T) {
	f := newFixture(t, fixtureOptions{})
	f.produce(0, 0, orders(0, 3)...)
	f.cluster.Fail("ListOffsets", errors.New("connection refused"))
	f.run(f.m.Init())
	f.until("the failure", func(m Model) bool { return m.state == stateFailed })
	f.cluster.Fail("ListOffsets", nil)
	f.held(3)
	f.cluster.Fail("Poll", errors.New("NOT_LEADER_OR_FOLLOWER"))
	f.produce(0, 5*time.Second, orders(3, 1)...)
	f.until("the fetch failure", func(m Model) bool { return m.err != nil })
	if !strings.Contains(f.m.View(), "✖ fetch: NOT_LEADER_OR_FOLLOWER; retrying every 1s") {
		t.Fatalf("screen:\n%s", f.m.View())
	}
	f.cluster.Fail("Poll", nil)
	f.held(4)
	if f.m.err != nil {
		t.Fatalf("error kept after recovery: %v", f.m.err)
	}
}

func TestNewRefusesBadOptions(t *testing.T) {
	st := styles.New(plainRenderer())
	src := &fakeSource{}
	tests := []struct {
		name string
		opts Options
	}{
		{"no source", Options{Styles: st, Topic: "t"}},
		{"no topic", Options{Source: src, Styles: st}},
		{"bad partition", Options{Source: src, Styles: st, Topic: "t", Partition: -2}},
		{"no styles", Options{Source: src, Topic: "t"}},
	}
	for _, tt := range tests {
		if _, err := New(tt.opts); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}

func TestDetailFollowsNextAndToggles(t *testing.T) {
	f := newFixture(t, fixtureOptions{})
	f.produce(0, 0, orders(0, 3)...)
	f.start()
	f.held(3)
	f.keys("g", "enter")
	if f.m.detail == nil || f.m.detail.rec.Offset != 0 || f.m.detail.hex {
		t.Fatalf("detail %+v", f.m.detail)
	}
	f.keys("n")
	if f.m.detail.rec.Offset != 1 {
		t.Fatalf("n opened %d, want 1", f.m.detail.rec.Offset)
	}
	f.keys("x")
	if !f.m.detail.hex || !strings.Contains(f.m.View(), "6f 72 64 65 72 2d 31") {
		t.Fatalf("x shows no hex dump:\n%s", f.m.View())
	}
	f.keys("esc")
	if f.m.detail != nil || f.closed {
		t.Fatal("esc did not just close the record")
	}
}
