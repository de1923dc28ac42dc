package partitionlog

import "encoding/binary"

// offsetIndex is a segment's .index: sparse entries of
// [relative offset int32][file position int32], both increasing. An entry
// (r, p) says the batch starting at byte p of the .log holds offsets up to
// base+r, so the batch containing any offset >= base+r starts at p or later.
type offsetIndex struct{ *indexFile }

const offsetIndexEntrySize = 8

func (x offsetIndex) at(i int) (rel int32, pos int32) {
	e := x.entry(i)
	return int32(binary.BigEndian.Uint32(e)), int32(binary.BigEndian.Uint32(e[4:]))
}

func (x offsetIndex) append(rel int32, pos int32) {
	e := x.slot()
	binary.BigEndian.PutUint32(e, uint32(rel))
	binary.BigEndian.PutUint32(e[4:], uint32(pos))
	x.publish()
}

// lookup returns the position to start scanning from for relative offset
// rel: the entry with the largest offset <= rel, or the segment start.
func (x offsetIndex) lookup(rel int64) int64 {
	i := search(x.entries(), func(i int) bool { r, _ := x.at(i); return int64(r) <= rel })
	if i < 0 {
		return 0
	}
	_, pos := x.at(i)
	return int64(pos)
}

// floorPosition returns the largest indexed position <= pos, or 0. Every
// indexed position is a batch boundary, so it is a safe scan start.
func (x offsetIndex) floorPosition(pos int64) int64 {
	i := search(x.entries(), func(i int) bool { _, p := x.at(i); return int64(p) <= pos })
	if i < 0 {
		return 0
	}
	_, p := x.at(i)
	return int64(p)
}

// truncateTo drops the entries for offsets >= rel.
func (x offsetIndex) truncateTo(rel int64) {
	x.truncate(search(x.entries(), func(i int) bool { r, _ := x.at(i); return int64(r) < rel }) + 1)
}

// last returns the last entry, ok false when empty.
func (x offsetIndex) last() (rel int32, pos int32, ok bool) {
	n := x.entries()
	if n == 0 {
		return 0, 0, false
	}
	rel, pos = x.at(n - 1)
	return rel, pos, true
}

// sane reports whether the entries are strictly increasing and inside a log
// of logSize bytes. It reads every entry, so it runs only when opening.
func (x offsetIndex) sane(logSize int64) bool {
	prevRel, prevPos := int32(-1), int32(0)
	for i := range x.entries() {
		rel, pos := x.at(i)
		if rel <= prevRel || pos <= prevPos || int64(pos) >= logSize {
			return false
		}
		prevRel, prevPos = rel, pos
	}
	return true
}
