package recordbatch

import (
	"errors"
	"fmt"
)

// Sentinel errors of the batch framing. Each caller maps them to its own
// (a Kafka error code, a corrupt log, the end of a read).
var (
	// ErrTruncated is a batch that buf ends inside of (a read cut at a
	// size limit, or a torn write).
	ErrTruncated = errors.New("record batch cut short")
	// ErrLength is a length field below the header size.
	ErrLength = errors.New("record batch length below its header")
	// ErrMagic is a batch of another format version than 2.
	ErrMagic = errors.New("not a v2 record batch")
	// ErrCRC is a batch whose bytes do not match their CRC-32C.
	ErrCRC = errors.New("record batch crc mismatch")
)

// Split returns the batch at the front of buf, checked in Kafka's order:
// a whole header (else ErrTruncated), a sane length (ErrLength), the whole
// batch inside buf (ErrTruncated), magic 2 (ErrMagic). The CRC is left to
// CheckCRC, which not every reader pays for.
func Split(buf []byte) (Header, error) {
	if len(buf) < HeaderSize {
		return nil, fmt.Errorf("%d bytes left, a batch header needs %d: %w", len(buf), HeaderSize, ErrTruncated)
	}
	h := Header(buf)
	if h.Length() < MinLength {
		return nil, fmt.Errorf("batch length %d below the minimum %d: %w", h.Length(), MinLength, ErrLength)
	}
	if h.Size() > int64(len(buf)) {
		return nil, fmt.Errorf("batch of %d bytes but only %d left: %w", h.Size(), len(buf), ErrTruncated)
	}
	if h.Magic() != Magic {
		return nil, fmt.Errorf("magic %d: %w", h.Magic(), ErrMagic)
	}
	return h[:h.Size()], nil
}
