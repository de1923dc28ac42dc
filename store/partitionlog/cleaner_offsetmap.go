package partitionlog

import (
	"hash/maphash"
	"math/bits"
)

// offsetMap maps the keys of a log's dirty section to their last offset,
// as Kafka's SkimpyOffsetMap: a key is stored as a 128-bit hash, so a slot
// costs 24 bytes whatever the key's size and the map's memory is bounded by
// the dedupe buffer. Two keys sharing a 128-bit hash would be taken for one
// (Kafka takes the same risk with MD5); at this width it does not happen.
//
// The table is open addressing with linear probing. It starts small and
// doubles up to the buffer's slots, so a small log does not pay for the
// whole buffer; it is full at loadFactor of the buffer's slots.
type offsetMap struct {
	seeds      [2]maphash.Seed
	slots      []mapSlot
	maxSlots   int
	maxEntries int
	loadFactor float64
	entries    int
	latest     int64 // last offset of the last batch mapped whole; -1 when none
}

// mapSlot holds one key hash and its offset plus one (0: empty slot).
type mapSlot struct {
	h0, h1 uint64
	off1   int64
}

const (
	mapSlotBytes      = 24
	initialMapSlots   = 1024
	minimumMapSlots   = 2
	minimumMapEntries = 1
)

func newOffsetMap(bufferBytes int64, loadFactor float64) *offsetMap {
	maxSlots := int(max(bufferBytes/mapSlotBytes, minimumMapSlots))
	m := &offsetMap{
		seeds:      [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()},
		maxSlots:   maxSlots,
		maxEntries: max(int(float64(maxSlots)*loadFactor), minimumMapEntries),
		loadFactor: loadFactor,
		latest:     -1,
	}
	m.maxEntries = min(m.maxEntries, maxSlots-1) // a free slot ends every probe
	m.slots = make([]mapSlot, min(initialMapSlots, maxSlots))
	return m
}

// reset empties the map for the next cleaning, keeping its memory.
func (m *offsetMap) reset() {
	clear(m.slots)
	m.entries = 0
	m.latest = -1
}

func (m *offsetMap) hash(key []byte) (uint64, uint64) {
	return maphash.Bytes(m.seeds[0], key), maphash.Bytes(m.seeds[1], key)
}

// find returns the slot of the hash, or the empty slot where it belongs.
func (m *offsetMap) find(h0, h1 uint64) int {
	n := uint64(len(m.slots))
	i, _ := bits.Mul64(h0, n) // h0 scaled to [0, n) without a division
	for {
		s := &m.slots[i]
		if s.off1 == 0 || (s.h0 == h0 && s.h1 == h1) {
			return int(i)
		}
		if i++; i == n {
			i = 0
		}
	}
}

// put records offset as the latest of key. It returns false, changing
// nothing, when key is new and the map is full.
func (m *offsetMap) put(key []byte, offset int64) bool {
	h0, h1 := m.hash(key)
	i := m.find(h0, h1)
	if m.slots[i].off1 != 0 {
		m.slots[i].off1 = offset + 1
		return true
	}
	if m.entries >= m.maxEntries {
		return false
	}
	if m.entries+1 > int(float64(len(m.slots))*m.loadFactor) && len(m.slots) < m.maxSlots {
		m.grow()
		i = m.find(h0, h1)
	}
	m.slots[i] = mapSlot{h0: h0, h1: h1, off1: offset + 1}
	m.entries++
	return true
}

// get returns the latest offset of key, or -1.
func (m *offsetMap) get(key []byte) int64 {
	h0, h1 := m.hash(key)
	return m.slots[m.find(h0, h1)].off1 - 1
}

func (m *offsetMap) grow() {
	old := m.slots
	m.slots = make([]mapSlot, min(2*len(old), m.maxSlots))
	for _, s := range old {
		if s.off1 != 0 {
			m.slots[m.find(s.h0, s.h1)] = s
		}
	}
}

// full reports whether no new key fits.
func (m *offsetMap) full() bool { return m.entries >= m.maxEntries }
