package components

// Cursor is the selected row of a table and the first row on screen. It
// remembers the selected row's Key so that a refresh that adds, removes or
// reorders rows leaves it on the same row.
type Cursor struct {
	Key    string
	Index  int
	Offset int
}

// Sync puts the cursor back on its Key in rows; when that row is gone it
// stays at the same position, clamped to the rows left.
func (c Cursor) Sync(rows []Row) Cursor {
	for i, r := range rows {
		if r.Key == c.Key {
			c.Index = i
			return c
		}
	}
	return c.at(c.Index, rows)
}

// Move moves the cursor by delta rows, stopping at the ends.
func (c Cursor) Move(delta int, rows []Row) Cursor { return c.at(c.Index+delta, rows) }

// Home moves to the first row, End to the last.
func (c Cursor) Home(rows []Row) Cursor { return c.at(0, rows) }

// End moves to the last row.
func (c Cursor) End(rows []Row) Cursor { return c.at(len(rows)-1, rows) }

func (c Cursor) at(i int, rows []Row) Cursor {
	c.Index = max(0, min(i, len(rows)-1))
	c.Key = ""
	if c.Index < len(rows) {
		c.Key = rows[c.Index].Key
	}
	return c
}

// Scroll adjusts Offset so the cursor is visible among height rows.
func (c Cursor) Scroll(height, rows int) Cursor {
	height = max(1, height)
	switch {
	case c.Index < c.Offset:
		c.Offset = c.Index
	case c.Index >= c.Offset+height:
		c.Offset = c.Index - height + 1
	}
	c.Offset = max(0, min(c.Offset, rows-height))
	return c
}
