package messages

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/tui/styles"
)

// Options say what a Messages view shows and where it copies to.
type Options struct {
	Context context.Context // ends the tail; Background when nil
	Source  Source
	Styles  styles.Styles
	Topic   string
	// Partition is the one partition to tail, or AllPartitions.
	Partition int32
	Start     Start
	Limits    Limits
	// CopyFile, when set, receives each record copied with y as the line
	// kq consume -o json prints, appended: the file keeps every copy.
	CopyFile string
	// Clipboard receives the OSC 52 sequence that puts a copied record on
	// the terminal's clipboard (the terminal itself); none when nil.
	Clipboard io.Writer
	Now       func() time.Time // time.Now when nil
	Location  *time.Location   // where timestamps are shown; Local when nil
	// Resend offers R, which hands the record to the TUI's produce
	// dialog (ResendMsg); off under --read-only or without a producer.
	Resend bool
}

func (o Options) withDefaults() (Options, error) {
	switch {
	case o.Source == nil:
		return o, errors.New("messages: no cluster source")
	case o.Topic == "":
		return o, errors.New("messages: no topic")
	case o.Partition < AllPartitions:
		return o, fmt.Errorf("messages: invalid partition %d", o.Partition)
	}
	if o.Context == nil {
		o.Context = context.Background()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Location == nil {
		o.Location = time.Local
	}
	if o.Styles.Renderer == nil {
		return o, errors.New("messages: no styles")
	}
	o.Limits = o.Limits.withDefaults()
	return o, nil
}

// Model is the Messages view: a tail of one partition, or of every
// partition of a topic merged by timestamp, with search, a record detail
// pane and copy as JSON. Copies of a Model share the records it holds.
type Model struct {
	opts Options
	st   styles.Styles
	keys keyMap

	width, height int

	tail      *tail
	state     tailState
	err       error            // the tail's last failure, until it recovers
	bounds    map[int32]bounds // each partition's offsets when the tail began
	buf       *buffer          // the records on show
	held      []admin.Record   // a batch that arrived while paused
	paused    bool             // p: the view stands still
	stalled   bool             // the buffer filled while reading history: fetching waits
	rate      rateMeter        // records per second arriving
	visible   []int            // buffer indices that match the search (search active only)
	sel       selection        // the record under the cursor
	top       int              // the first row on screen
	follow    bool             // the cursor rides the newest record
	search    search           // the / search
	searchErr error            // what is wrong with the search being typed
	mode      inputMode        // what the footer's input is for
	input     textinput.Model  // the footer's input
	help      bool             // ? shows the keys
	detail    *detail          // the open record; nil when the table shows
	flash     flash            // a one-off message until the next key
	initCmd   tea.Cmd          // the first offset lookup, made by New

	scan       *scan // the filter (f) over the topic; nil when none
	unfiltered Start // where the view started before the filter
	offerScan  bool  // / found nothing held: enter searches the whole topic
	filterErr  error // what is wrong with the filter being typed
}

type tailState int

const (
	stateLoading tailState = iota // looking up offsets
	stateTailing                  // polling
	stateFailed                   // waiting to retry after err
)

type inputMode int

const (
	modeNormal inputMode = iota
	modeSearch
	modeStart
	modeFilter
	modeExport
)

type flash struct {
	text string
	bad  bool
}

// selection is the record under the cursor: its index in the buffer and
// who it is, to find it again after records come and go.
type selection struct {
	index     int
	partition int32
	offset    int64
	valid     bool
}

// ClosedMsg is sent when the user leaves the view (esc with nothing left
// to close). The view has already stopped its tail.
type ClosedMsg struct{}

// New returns the view; Init starts the tail.
func New(opts Options) (Model, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return Model{}, err
	}
	m := Model{opts: opts, st: opts.Styles, keys: defaultKeys()}
	m.input = textinput.New()
	m.input.Prompt = ""
	m, m.initCmd = m.restart(opts.Start)
	return m, nil
}

// Init starts the tail: the offsets are looked up, then records polled.
func (m Model) Init() tea.Cmd { return m.initCmd }

// Title names what the view shows: "orders-0" or "orders (all
// partitions)".
func (m Model) Title() string {
	if m.opts.Partition == AllPartitions {
		return m.opts.Topic + " (all partitions)"
	}
	return fmt.Sprintf("%s-%d", m.opts.Topic, m.opts.Partition)
}

// Stop ends the tail; the view shows what it had.
func (m Model) Stop() tea.Cmd {
	if m.tail == nil {
		return nil
	}
	return m.tail.stop()
}

func (m *Model) resetRecords() {
	m.buf = newBuffer(m.opts.Limits, m.opts.Partition == AllPartitions)
	m.held, m.visible, m.sel, m.top, m.stalled = nil, nil, selection{}, 0, false
	m.rate = rateMeter{}
}
