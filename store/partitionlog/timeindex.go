package partitionlog

import "encoding/binary"

// timeIndex is a segment's .timeindex: entries of
// [timestamp int64][relative offset int32], both increasing. An entry (t, r)
// is written next to an offset index entry: t is the largest batch
// timestamp of the segment so far and base+r the last offset of the batch
// that holds it. Entries are only added when t grows, and a last one is
// added when the segment is rolled, so the final entry carries the segment's
// largest timestamp across restarts (retention reads it).
type timeIndex struct{ *indexFile }

const timeIndexEntrySize = 12

func (x timeIndex) at(i int) (ts int64, rel int32) {
	e := x.entry(i)
	return int64(binary.BigEndian.Uint64(e)), int32(binary.BigEndian.Uint32(e[8:]))
}

// maybeAppend adds (ts, rel) when ts is larger than the last entry's and
// the index has room short of the slot kept for the roll.
func (x timeIndex) maybeAppend(ts int64, rel int32) {
	if !x.nearlyFull() {
		x.appendFinal(ts, rel)
	}
}

// appendFinal adds (ts, rel) when ts grows, using the kept slot if needed.
func (x timeIndex) appendFinal(ts int64, rel int32) {
	if last, _, ok := x.last(); (ok && ts <= last) || ts < 0 || x.full() {
		return
	}
	x.put(ts, rel)
}

func (x timeIndex) put(ts int64, rel int32) {
	e := x.slot()
	binary.BigEndian.PutUint64(e, uint64(ts))
	binary.BigEndian.PutUint32(e[8:], uint32(rel))
	x.publish()
}

// nearlyFull is Kafka's TimeIndex.isFull: one slot is kept for the roll.
func (x timeIndex) nearlyFull() bool { return x.entries() >= x.maxEntries()-1 }

func (x timeIndex) last() (ts int64, rel int32, ok bool) {
	n := x.entries()
	if n == 0 {
		return -1, 0, false
	}
	ts, rel = x.at(n - 1)
	return ts, rel, true
}

// lookupBefore returns the relative offset of the last entry whose timestamp
// is strictly below ts: no record at or before that offset can have a
// timestamp >= ts, so a search may start with the batch holding it. ok is
// false when no entry qualifies.
func (x timeIndex) lookupBefore(ts int64) (rel int32, ok bool) {
	i := search(x.entries(), func(i int) bool { t, _ := x.at(i); return t < ts })
	if i < 0 {
		return 0, false
	}
	_, rel = x.at(i)
	return rel, true
}

// truncateTo drops the entries for offsets >= rel.
func (x timeIndex) truncateTo(rel int64) {
	x.truncate(search(x.entries(), func(i int) bool { _, r := x.at(i); return int64(r) < rel }) + 1)
}

// sane reports whether the entries increase in both fields and stay below
// relative offset limit (the segment's next offset minus its base).
func (x timeIndex) sane(limit int64) bool {
	prevTs, prevRel := int64(-1), int32(-1)
	for i := range x.entries() {
		ts, rel := x.at(i)
		if ts <= prevTs || rel < prevRel || int64(rel) >= limit {
			return false
		}
		prevTs, prevRel = ts, rel
	}
	return true
}
