package tui

import (
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/tui/components"
	"github.com/kqhq/kq/tui/keymap"
	"github.com/kqhq/kq/tui/messages"
	"github.com/kqhq/kq/tui/pages"
	"github.com/kqhq/kq/tui/snapshot"
	"github.com/kqhq/kq/tui/styles"
)

// Model is the TUI's bubbletea model. It is a value: Update returns the
// next one.
type Model struct {
	opts Options
	st   styles.Styles
	keys keymap.KeyMap

	width, height int
	snap          *snapshot.Snapshot // the last good refresh; nil until one
	conn          connection
	paused        bool
	tickGen       int

	views []pages.Page // the top-level views tab cycles through
	view  int          // index in views of the current one
	// stack is the way down from the current top-level view: enter
	// pushes, esc pops. Each frame keeps its own cursor and filter.
	stack []frame
	saved map[string]frame // a top-level view's frame while another is shown

	mode    inputMode
	input   textinput.Model
	history paletteHistory // the palette's commands, for up and down
	help    bool
	flash   flash // a one-off message from a command, until the next key
	// hideInternal leaves the brokers' internal topics out of Topics.
	hideInternal bool

	msgs    *messages.Model // the Messages view when open; it has the screen
	dialog  *dialog         // the action under way, if any; copied on write
	dialogs int             // dialogs opened, to tell their results apart

	initCmd tea.Cmd // the first refresh, started by New so it is marked
	cache   *rowCache

	// clusterGen counts :ctx switches: a refresh of the cluster left
	// behind is dropped. closeCluster releases a cluster :ctx opened.
	clusterGen   int
	closeCluster func()
}

// rowCache keeps the rows built from the current snapshot. Building them
// is most of a frame's cost on a large cluster, and keys and the clock
// redraw far more often than snapshots arrive. Copies of a Model share it:
// an entry is a pure function of its key and the snapshot.
type rowCache struct {
	snap *snapshot.Snapshot
	rows map[rowKey][]components.Row
}

type rowKey struct {
	page, filter string
	sort         sortBy
	hideInternal bool
}

// frame is one level of the drill-down.
type frame struct {
	page   pages.Page
	cursor components.Cursor
	filter string
	sort   sortBy
}

type inputMode int

const (
	modeNormal inputMode = iota
	modeFilter
	modeCommand
)

type flash struct {
	text string
	bad  bool
}

// New returns the model, starting on the Topics view.
func New(opts Options) (Model, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return Model{}, err
	}
	st := styles.New(opts.Renderer)
	m := Model{opts: opts, st: st, keys: keymap.Default(), saved: map[string]frame{}, cache: &rowCache{}}
	m.views = []pages.Page{pages.Brokers{St: st}, pages.Topics{St: st}, pages.Groups{St: st}, pages.Transactions{St: st}}
	m.view = 1
	m.stack = []frame{{page: m.views[m.view]}}
	m.input = textinput.New()
	m.input.Prompt = ""
	m, m.initCmd = m.refresh()
	return m, nil
}

// Init starts the first refresh and the clock.
func (m Model) Init() tea.Cmd { return tea.Batch(m.initCmd, clock()) }

// top is the frame on screen.
func (m *Model) top() *frame { return &m.stack[len(m.stack)-1] }

// rows are a frame's rows after its filter.
func (m Model) rows(f frame) []components.Row {
	if m.snap == nil {
		return nil
	}
	c := m.cache
	if c.snap != m.snap {
		c.snap, c.rows = m.snap, map[rowKey][]components.Row{}
	}
	k := rowKey{f.page.Name(), f.filter, f.sort, m.hideInternal}
	rows, ok := c.rows[k]
	if !ok {
		rows = sortRows(filterRows(m.shownRows(f), f.filter), f.sort)
		c.rows[k] = rows
	}
	return rows
}

// syncCursors keeps every frame's cursor on its row after the rows
// changed, and in view.
func (m *Model) syncCursors() {
	for i := range m.stack {
		f := &m.stack[i]
		rows := m.rows(*f)
		f.cursor = f.cursor.Sync(rows).Scroll(m.tableRows()-1, len(rows)) // the header takes a line
	}
}
