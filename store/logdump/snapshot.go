package logdump

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

// ErrCorruptSnapshot is a producer snapshot that does not decode; the
// message says why as Kafka's CorruptSnapshotException does.
var ErrCorruptSnapshot = errors.New("corrupt producer snapshot")

// The producer snapshot layout (version 1, drawn in store/partitionlog).
const (
	snapshotHeaderSize = 10 // version int16, crc uint32, entry count int32
	snapshotEntrySize  = 46
)

// ProducerEntry is one producer of a .snapshot file.
type ProducerEntry struct {
	ProducerID            int64 `json:"producer_id"`
	Epoch                 int16 `json:"producer_epoch"`
	LastSequence          int32 `json:"last_sequence"`
	LastOffset            int64 `json:"last_offset"` // -1: no batch kept
	OffsetDelta           int32 `json:"offset_delta"`
	Timestamp             int64 `json:"timestamp"`
	CoordinatorEpoch      int32 `json:"coordinator_epoch"`
	CurrentTxnFirstOffset int64 `json:"current_txn_first_offset"` // -1: none
}

// FirstSequence is the sequence of the first record of the last batch,
// wrapping as Kafka's sequences do.
func (e ProducerEntry) FirstSequence() int32 {
	if e.OffsetDelta > e.LastSequence {
		return int32(int64(e.LastSequence) - int64(e.OffsetDelta) + (1 << 31))
	}
	return e.LastSequence - e.OffsetDelta
}

// ProducerSnapshot decodes a .snapshot file, checked as Kafka's
// ProducerStateManager.readSnapshot checks it (version, schema, CRC).
func ProducerSnapshot(data []byte) ([]ProducerEntry, error) {
	be := binary.BigEndian
	if len(data) < 2 {
		return nil, fmt.Errorf("Snapshot failed schema validation: %d bytes: %w", len(data), ErrCorruptSnapshot)
	}
	if v := int16(be.Uint16(data)); v != 1 {
		return nil, fmt.Errorf("Snapshot contained an unknown file version %d: %w", v, ErrCorruptSnapshot)
	}
	if len(data) < snapshotHeaderSize {
		return nil, fmt.Errorf("Snapshot failed schema validation: %d bytes, short of the header: %w", len(data), ErrCorruptSnapshot)
	}
	count := int64(int32(be.Uint32(data[6:])))
	if count < 0 || int64(len(data)) != snapshotHeaderSize+count*snapshotEntrySize {
		return nil, fmt.Errorf("Snapshot failed schema validation: %d entries in %d bytes: %w", count, len(data), ErrCorruptSnapshot)
	}
	stored, computed := be.Uint32(data[2:]), crc32.Checksum(data[6:], crc32.MakeTable(crc32.Castagnoli))
	if stored != computed {
		return nil, fmt.Errorf("Snapshot is corrupt (CRC is no longer valid). Stored crc: %d. Computed crc: %d: %w", stored, computed, ErrCorruptSnapshot)
	}
	out := make([]ProducerEntry, count)
	for i := range out {
		out[i] = producerEntry(data[snapshotHeaderSize+i*snapshotEntrySize:])
	}
	return out, nil
}

func producerEntry(e []byte) ProducerEntry {
	be := binary.BigEndian
	return ProducerEntry{
		ProducerID:            int64(be.Uint64(e)),
		Epoch:                 int16(be.Uint16(e[8:])),
		LastSequence:          int32(be.Uint32(e[10:])),
		LastOffset:            int64(be.Uint64(e[14:])),
		OffsetDelta:           int32(be.Uint32(e[22:])),
		Timestamp:             int64(be.Uint64(e[26:])),
		CoordinatorEpoch:      int32(be.Uint32(e[34:])),
		CurrentTxnFirstOffset: int64(be.Uint64(e[38:])),
	}
}
