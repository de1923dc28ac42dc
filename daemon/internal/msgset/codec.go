package msgset

import (
	"errors"
	"fmt"

	"github.com/kqhq/kq/store/recordbatch"
)

// Codec is a compression codec: legacy messages keep it in the same three
// attribute bits as record batches.
type Codec = recordbatch.Codec

// The codecs Kafka defines. Zstd exists only in record batches.
const (
	None   = recordbatch.None
	Gzip   = recordbatch.Gzip
	Snappy = recordbatch.Snappy
	LZ4    = recordbatch.LZ4
	Zstd   = recordbatch.Zstd
)

// decompress appends a legacy wrapper's payload, decompressed, to dst,
// failing with ErrCorrupt when the codec rejects it or it inflates past
// limit bytes. legacyLZ4 reads the magic 0 LZ4 framing (KAFKA-3160).
func decompress(dst []byte, codec Codec, payload []byte, limit int64, legacyLZ4 bool) ([]byte, error) {
	if legacyLZ4 && codec == LZ4 {
		payload = fixLegacyLZ4Header(payload)
	}
	out, err := recordbatch.Decompress(dst, codec, payload, limit)
	if err != nil {
		return dst, fmt.Errorf("decompress: %w: %w", err, ErrCorrupt)
	}
	return out, nil
}

// recordErr classes a failure reading a batch's records: every one is
// ErrCorrupt to a legacy reader.
func recordErr(err error) error {
	if err == nil || errors.Is(err, ErrCorrupt) {
		return err
	}
	return fmt.Errorf("%w: %w", err, ErrCorrupt)
}
