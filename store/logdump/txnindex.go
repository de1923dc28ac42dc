package logdump

import (
	"encoding/binary"
	"fmt"
)

// txnEntrySize is one .txnindex entry (layout in store/partitionlog).
const txnEntrySize = 34

// AbortedTxn is one entry of a .txnindex file.
type AbortedTxn struct {
	Version          int16 `json:"version"`
	ProducerID       int64 `json:"producer_id"`
	FirstOffset      int64 `json:"first_offset"`
	LastOffset       int64 `json:"last_offset"`
	LastStableOffset int64 `json:"last_stable_offset"`
}

// AbortedTxns decodes a .txnindex file. A torn last entry is an error
// (Kafka's TransactionIndex reports it as corrupt), after the whole ones.
func AbortedTxns(data []byte) ([]AbortedTxn, error) {
	be := binary.BigEndian
	var out []AbortedTxn
	for p := data; len(p) > 0; p = p[txnEntrySize:] {
		if len(p) < txnEntrySize {
			return out, fmt.Errorf("%d bytes after the last whole entry: %w", len(p), ErrCorrupt)
		}
		out = append(out, AbortedTxn{
			Version:          int16(be.Uint16(p)),
			ProducerID:       int64(be.Uint64(p[2:])),
			FirstOffset:      int64(be.Uint64(p[10:])),
			LastOffset:       int64(be.Uint64(p[18:])),
			LastStableOffset: int64(be.Uint64(p[26:])),
		})
	}
	return out, nil
}
