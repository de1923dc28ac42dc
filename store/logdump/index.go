package logdump

import (
	"encoding/binary"
	"fmt"
)

// Entry sizes of Kafka's index files.
const (
	OffsetEntrySize = 8  // relative offset int32, position int32
	TimeEntrySize   = 12 // timestamp int64, relative offset int32
)

// OffsetEntry is one entry of a .index file, with the absolute offset.
type OffsetEntry struct {
	Offset   int64 `json:"offset"`
	Position int64 `json:"position"`
}

// TimeEntry is one entry of a .timeindex file, with the absolute offset.
type TimeEntry struct {
	Timestamp int64 `json:"timestamp"`
	Offset    int64 `json:"offset"`
}

// OffsetEntries decodes an offset index of a segment starting at base.
// Like Kafka it reads every whole entry (a torn tail is ignored) and stops
// at the first entry after the first that points back at the base: the
// zero-filled space of a preallocated index that was not trimmed.
func OffsetEntries(data []byte, base int64) []OffsetEntry {
	var out []OffsetEntry
	for i := 0; (i+1)*OffsetEntrySize <= len(data); i++ {
		e := data[i*OffsetEntrySize:]
		rel := int64(int32(binary.BigEndian.Uint32(e)))
		if i > 0 && rel == 0 {
			break
		}
		out = append(out, OffsetEntry{Offset: base + rel, Position: int64(int32(binary.BigEndian.Uint32(e[4:])))})
	}
	return out
}

// TimeEntries decodes a time index of a segment starting at base, with
// OffsetEntries' rules.
func TimeEntries(data []byte, base int64) []TimeEntry {
	var out []TimeEntry
	for i := 0; (i+1)*TimeEntrySize <= len(data); i++ {
		e := data[i*TimeEntrySize:]
		rel := int64(int32(binary.BigEndian.Uint32(e[8:])))
		if i > 0 && rel == 0 {
			break
		}
		out = append(out, TimeEntry{Timestamp: int64(binary.BigEndian.Uint64(e)), Offset: base + rel})
	}
	return out
}

// LookupPosition is the position of the greatest entry at or below offset,
// 0 when there is none: where a scan for offset starts.
func LookupPosition(entries []OffsetEntry, offset int64) int64 {
	var pos int64
	for _, e := range entries {
		if e.Offset > offset {
			break
		}
		pos = e.Position
	}
	return pos
}

// CheckOffsetIndex is Kafka's OffsetIndex.sanityCheck, the check a broker
// runs at start-up to decide whether to rebuild the index: its size a
// multiple of the entry size, and its last offset not below the base.
func CheckOffsetIndex(name string, data []byte, base int64) error {
	if len(data)%OffsetEntrySize != 0 {
		return fmt.Errorf("Index file %s is corrupt, found %d bytes which is neither positive nor a multiple of %d.", name, len(data), OffsetEntrySize)
	}
	entries := OffsetEntries(data, base)
	if n := len(entries); n > 0 && entries[n-1].Offset < base {
		return fmt.Errorf("Corrupt index found, index file (%s) has non-zero size but the last offset is %d which is less than the base offset %d.", name, entries[n-1].Offset, base)
	}
	return nil
}

// CheckTimeIndex is Kafka's TimeIndex.sanityCheck: whole entries, the last
// timestamp not below the first, the last offset not below the base.
func CheckTimeIndex(name string, data []byte, base int64) error {
	if len(data)%TimeEntrySize != 0 {
		return fmt.Errorf("Time index file %s is corrupt, found %d bytes which is neither positive nor a multiple of %d.", name, len(data), TimeEntrySize)
	}
	entries := TimeEntries(data, base)
	n := len(entries)
	if n == 0 {
		return nil
	}
	if last, first := entries[n-1], entries[0]; last.Timestamp < first.Timestamp {
		return fmt.Errorf("Corrupt time index found, time index file (%s) has non-zero size but the last timestamp is %d which is less than the first timestamp %d", name, last.Timestamp, first.Timestamp)
	}
	if last := entries[n-1]; last.Offset < base {
		return fmt.Errorf("Corrupt time index found, time index file (%s) has non-zero size but the last offset is %d which is less than the first offset %d", name, last.Offset, base)
	}
	return nil
}
