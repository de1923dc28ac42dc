package msgset

import "errors"

// Errors, each matching a Kafka error code the broker answers with.
var (
	// ErrCorrupt is a message or batch whose bytes do not hold together: a
	// CRC mismatch, a torn message, a size that runs past the set, a codec
	// that fails to decode, nested compression (CORRUPT_MESSAGE).
	ErrCorrupt = errors.New("corrupt message")
	// ErrInvalid is a well-formed set Kafka still refuses: no messages, or a
	// compressed wrapper with nothing inside (INVALID_RECORD).
	ErrInvalid = errors.New("invalid record")
	// ErrUnsupportedCompression is zstd in a legacy message, which magic 0
	// and 1 cannot carry (UNSUPPORTED_COMPRESSION_TYPE).
	ErrUnsupportedCompression = errors.New("unsupported compression type")
)
