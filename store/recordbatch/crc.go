package recordbatch

import (
	"fmt"
	"hash"
	"hash/crc32"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// ComputeCRC is the CRC-32C Kafka stores: over the bytes from the
// attributes to the batch end. h must hold the whole batch.
func (h Header) ComputeCRC() uint32 { return crc32.Checksum(h[PosAttributes:], castagnoli) }

// Seal stores the batch's CRC, after its bytes were written or changed.
func (h Header) Seal() { h.SetCRC(h.ComputeCRC()) }

// CheckCRC verifies the stored CRC against the batch's bytes; a mismatch
// is ErrCRC.
func (h Header) CheckCRC() error {
	if got := h.ComputeCRC(); got != h.CRC() {
		return fmt.Errorf("crc32c %08x, header says %08x: %w", got, h.CRC(), ErrCRC)
	}
	return nil
}

// NewCRC returns a running CRC-32C, for checking a batch streamed from a
// file rather than held whole: write the header from PosAttributes on,
// then the payload.
func NewCRC() hash.Hash32 { return crc32.New(castagnoli) }
