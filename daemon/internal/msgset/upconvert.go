package msgset

import (
	"fmt"

	"github.com/kqhq/kq/store/recordbatch"
)

// IsLegacy reports whether a produce payload is a legacy message set (magic
// 0 or 1) rather than record batches. Both formats keep the magic byte at
// the same position; an empty or torn payload is left to the log to refuse.
func IsLegacy(payload []byte) bool {
	return len(payload) > magicPos && (payload[magicPos] == 0 || payload[magicPos] == 1)
}

// ToBatch converts a legacy message set, as Produce v0-2 carries it, into
// one record batch for the log's leader append (see the package manual).
// At most maxDecompressed bytes are inflated. The batch comes with the
// records it compressed, so the log can validate them without inflating
// what was just compressed (recordbatch.Built).
func ToBatch(set []byte, maxDecompressed int64) (recordbatch.Built, error) {
	d, err := Decode(set, maxDecompressed)
	if err != nil {
		return recordbatch.Built{}, err
	}
	if len(d.Messages) == 0 {
		return recordbatch.Built{}, fmt.Errorf("empty message set: %w", ErrInvalid)
	}
	return buildBatch(nil, d.Messages, d.Codec)
}
