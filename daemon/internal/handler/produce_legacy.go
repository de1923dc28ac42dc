package handler

import (
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/daemon/internal/msgset"
	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/store/partitionlog"
	"github.com/kqhq/kq/store/recordbatch"
)

// appendProduced appends a produce partition's records as leader. Produce
// v0-2 carry legacy message sets (magic 0 and 1), which Kafka converts to
// the log's format on append; kq converts them to one record batch first
// (see package msgset), so the log, its validation and replication only
// ever see record batches. The conversion decompressed the set once; the
// log checks the records it kept rather than inflating the new batch.
func appendProduced(part *replica.Partition, records []byte, acks int16, minInsync int, version int16) (partitionlog.AppendInfo, error) {
	if version < 3 && msgset.IsLegacy(records) {
		// The same inflation bound the log applies to record batches.
		limit := recordbatch.Limit(part.MaxMessageBytes())
		batch, err := msgset.ToBatch(records, limit)
		if err != nil {
			return partitionlog.AppendInfo{}, conversionError(err)
		}
		return part.AppendConvertedAsLeader(batch, acks, minInsync)
	}
	return part.AppendAsLeader(records, acks, minInsync)
}

// conversionError gives a conversion failure the code Kafka answers.
func conversionError(err error) error {
	code := kerr.CorruptMessage
	switch {
	case errors.Is(err, msgset.ErrUnsupportedCompression):
		code = kerr.UnsupportedCompressionType
	case errors.Is(err, msgset.ErrInvalid):
		code = kerr.InvalidRecord
	}
	return fmt.Errorf("%w: %w", code, err)
}
