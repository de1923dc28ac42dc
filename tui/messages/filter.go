package messages

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/recordfilter"
	"github.com/kqhq/kq/tui/components"
)

// scan is a filter (f) running over the topic: the tail reads from the
// range's start and keeps only what the filter matches, counting what it
// read against the end offsets the partitions had when it began. Past
// those ends it goes on filtering new records.
type scan struct {
	filter  *recordfilter.Filter
	scanned int64
	matched int64
	first   map[int32]int64 // where each partition's reading began
	end     map[int32]int64 // each partition's end when it began
	next    map[int32]int64 // the offset each partition is read to
	began   time.Time       // when the records started coming
	took    time.Duration   // how long reading to the ends took, once done
	done    bool            // every partition is read to its end
	stopped bool            // esc stopped it: what matched stays on show
}

// positioner is the part of admin.Consumer that tells how far a partition
// is read, transaction markers included (which no record shows).
type positioner interface {
	Position(topic string, partition int32) (int64, bool)
}

// filterBatch keeps the records of one poll that match t's filter and
// notes how far each partition is read. It runs in the poll's goroutine,
// so a scan of a large topic does not hold up the screen.
func filterBatch(t *tail, c Consumer, recs []admin.Record, err error) batchMsg {
	msg := batchMsg{tail: t, err: err, scanned: len(recs), next: map[int32]int64{}}
	for i := range recs {
		r := &recs[i]
		msg.next[r.Partition] = max(msg.next[r.Partition], r.Offset+1)
		if t.match(r) {
			msg.recs = append(msg.recs, *r)
		}
	}
	if p, ok := c.(positioner); ok {
		for _, part := range t.parts {
			if next, ok := p.Position(t.topic, part); ok {
				msg.next[part] = max(msg.next[part], next)
			}
		}
	}
	return msg
}

// begin notes the range once its offsets are known.
func (s *scan) begin(first map[int32]int64, b map[int32]bounds, now time.Time) {
	s.first, s.end, s.next = first, map[int32]int64{}, map[int32]int64{}
	for p, off := range first {
		s.end[p], s.next[p] = b[p].end, off
	}
	s.began = now
	s.checkDone(now)
}

// skipPartitions drops from first the partitions the filter cannot
// match (partition=2 reads partition 2 only).
func (s *scan) skipPartitions(first map[int32]int64) {
	if only, ok := s.filter.Partitions(); ok {
		maps.DeleteFunc(first, func(p int32, _ int64) bool { return !slices.Contains(only, p) })
	}
}

// progress counts one poll.
func (s *scan) progress(msg batchMsg, now time.Time) {
	s.scanned += int64(msg.scanned)
	s.matched += int64(len(msg.recs))
	for p, next := range msg.next {
		s.next[p] = max(s.next[p], next)
	}
	s.checkDone(now)
}

func (s *scan) checkDone(now time.Time) {
	if s.done {
		return
	}
	for p, end := range s.end {
		if s.next[p] < end {
			return
		}
	}
	s.done, s.took = true, now.Sub(s.began)
}

// fraction is how much of the range is read, 0 to 1.
func (s *scan) fraction() float64 {
	var total, read int64
	for p, end := range s.end {
		total += end - s.first[p]
		read += min(s.next[p], end) - s.first[p]
	}
	if total <= 0 {
		return 1
	}
	return float64(read) / float64(total)
}

// halted says esc stopped the scan: its tail's late answers (a lookup,
// a retry) are dropped, not retried.
func (s *scan) halted() bool { return s != nil && s.stopped }

// running says whether the scan is still reading toward its ends.
func (s *scan) running() bool { return s != nil && !s.done && !s.stopped }

// scanStart is where a filter reads from: the view's start when it names
// a range (oldest, an offset, a time), else, for newest N and live, the
// whole topic.
func scanStart(st Start) Start {
	if st.follows() {
		return Start{Kind: Oldest}
	}
	return st
}

// applyFilter runs f over the topic from the view's range, replacing the
// records on show with its matches.
func (m Model) applyFilter(f *recordfilter.Filter) (Model, tea.Cmd) {
	if m.scan == nil {
		m.unfiltered = m.opts.Start
	}
	m.scan = &scan{filter: f}
	m.setSearch(search{})
	return m.restart(scanStart(m.opts.Start))
}

// clearFilter goes back to the tail the view had before the filter.
func (m Model) clearFilter() (Model, tea.Cmd) {
	m.scan = nil
	return m.restart(m.unfiltered)
}

// stopScan ends a running scan where it is: the matches stay on show.
func (m Model) stopScan() (Model, tea.Cmd) {
	m.scan.stopped = true
	return m, m.Stop()
}

// enterFilter runs the filter typed at f; an empty one clears the filter,
// a malformed one stays in the input with its error.
func (m Model) enterFilter(text string) (Model, tea.Cmd) {
	f, err := recordfilter.Parse(text, m.opts.Now())
	switch {
	case errors.Is(err, recordfilter.ErrEmpty):
		m = m.endInput()
		if m.scan == nil {
			return m, nil
		}
		return m.clearFilter()
	case err != nil:
		m.filterErr = err
		return m, nil
	}
	return m.endInput().applyFilter(f)
}

// searchWholeTopic goes on with a / search that matched nothing held: the
// same search, as a filter over the topic (and the filter there was).
func (m Model) searchWholeTopic() (Model, tea.Cmd) {
	text := recordfilter.Quote(m.search.text)
	if pattern, ok := strings.CutPrefix(m.search.text, "/"); ok {
		text = "~" + recordfilter.Quote(strings.TrimSuffix(pattern, "/"))
	}
	if m.scan != nil { // within the filter already running
		text = "(" + m.scan.filter.String() + ") and " + text
	}
	f, err := recordfilter.Parse(text, m.opts.Now())
	if err != nil { // cannot happen for a search that compiled; say so if it does
		m.flash = flash{text: fmt.Sprintf("filter %s: %v", text, err), bad: true}
		return m, nil
	}
	return m.applyFilter(f)
}

// filterHint is the short syntax shown while a filter is typed; kq
// consume --help and the README have it in full.
const filterHint = "key:TEXT value~RE header.NAME=V partition=0 offset>=N ts>=-1h $.json.path=V · and or not ( )"

// scanStatus is the progress line: records read and matched, how far
// each partition is, and how to stop; then the outcome.
func (m Model) scanStatus() string {
	s := m.scan
	counts := fmt.Sprintf("%s scanned · %s matched", components.Count(s.scanned), components.Count(s.matched))
	switch {
	case s.stopped:
		return m.st.Warn.Render(fmt.Sprintf("◼ filter stopped at %d%% · esc clears: %s", int(s.fraction()*100), counts))
	case s.done:
		return m.st.Good.Render("✓") + m.st.Faint.Render(fmt.Sprintf(" filter read the range in %s · esc clears: %s · new records are filtered as they come",
			s.took.Round(time.Millisecond), counts))
	}
	return m.st.Warn.Render(fmt.Sprintf("⟳ filtering %d%% · esc stops: %s · %s", int(s.fraction()*100), counts, s.partitionsRead()))
}

// partitionsRead is "p0 1200/5000 p1 ..." : each partition's offset
// reached against its end.
func (s *scan) partitionsRead() string {
	parts := slices.Sorted(maps.Keys(s.end))
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		out = append(out, fmt.Sprintf("p%d %d/%d", p, min(s.next[p], s.end[p]), s.end[p]))
	}
	return strings.Join(out, " ")
}
