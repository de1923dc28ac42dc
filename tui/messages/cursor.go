package messages

import "sort"

// The table shows rows: every record held, or with a search only the
// records that match. The cursor is a selection (a record) and top is the
// first row on screen.

// rowCount is how many rows the table has.
func (m Model) rowCount() int {
	if m.search.active() {
		return len(m.visible)
	}
	return m.buf.Len()
}

// rowIndex is the buffer index of row i.
func (m Model) rowIndex(i int) int {
	if m.search.active() {
		return m.visible[i]
	}
	return i
}

// row is the cursor's row: the selected record's, or with a search that
// does not match it the next row that does.
func (m Model) row() int {
	if !m.sel.valid {
		return 0
	}
	if m.search.active() {
		return min(sort.SearchInts(m.visible, m.sel.index), max(0, len(m.visible)-1))
	}
	return m.sel.index
}

// selectRow puts the cursor on row i, clamped to the rows there are.
func (m *Model) selectRow(i int) {
	n := m.rowCount()
	if n == 0 {
		m.sel = selection{}
		return
	}
	i = max(0, min(i, n-1))
	bi := m.rowIndex(i)
	r := &m.buf.At(bi).rec
	m.sel = selection{index: bi, partition: r.Partition, offset: r.Offset, valid: true}
}

// moveTo moves the cursor to row i by the user's hand: following resumes
// on the last row and stops anywhere else.
func (m *Model) moveTo(i int) {
	m.selectRow(i)
	m.follow = m.row() >= m.rowCount()-1
	m.scroll()
}

// rebuildVisible lists the matching records after the records or the
// search changed.
func (m *Model) rebuildVisible() {
	if !m.search.active() {
		m.visible = nil
		return
	}
	m.visible = m.visible[:0]
	for i := range m.buf.Len() {
		if m.buf.At(i).match {
			m.visible = append(m.visible, i)
		}
	}
}

// scroll keeps the cursor on screen and the screen full.
func (m *Model) scroll() {
	h := m.tableRows()
	r := m.row()
	switch {
	case r < m.top:
		m.top = r
	case r >= m.top+h:
		m.top = r - h + 1
	}
	m.top = max(0, min(m.top, m.rowCount()-h))
}
