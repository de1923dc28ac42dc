package partitionlog

import (
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/store/recordbatch"
)

// header is the record batch view the log passes around: the batch's
// first 61 bytes, or all of it.
type header = recordbatch.Header

// recordIter walks the records of one batch (see recordbatch.Records),
// its errors classed as the log's.
type recordIter struct {
	rs recordbatch.Records
}

// openRecords starts iterating the records of batch (whole batch bytes),
// allowing at most limit decompressed bytes.
func openRecords(batch header, limit int64) (*recordIter, error) {
	it := new(recordIter)
	if err := it.rs.Reset(batch, limit); err != nil {
		return nil, recordErr(err)
	}
	return it, nil
}

// openPlainRecords iterates the records of a batch the broker compressed
// itself, from the uncompressed bytes it kept (recordbatch.Built).
func openPlainRecords(records []byte, limit int64) (*recordIter, error) {
	it := new(recordIter)
	if err := it.rs.ResetPlain(records, limit); err != nil {
		return nil, recordErr(err)
	}
	return it, nil
}

func (it *recordIter) close() { it.rs.Close() }

// next decodes the next record. The record's slices alias internal buffers
// and are valid until the following call.
func (it *recordIter) next() (*kmsg.Record, error) {
	r, err := it.rs.Next()
	if err != nil {
		return nil, recordErr(err)
	}
	return r, nil
}

// nextInfo is next for a reader that only judges records: the fields
// validation needs, every decoding check made (recordbatch.NextInfo).
func (it *recordIter) nextInfo() (recordbatch.RecordInfo, error) {
	r, err := it.rs.NextInfo()
	if err != nil {
		return r, recordErr(err)
	}
	return r, nil
}

// nextRecord is next that also returns the record's encoded bytes, length
// prefix included; both are valid until the following call.
func (it *recordIter) nextRecord() (*kmsg.Record, []byte, error) {
	r, err := it.next()
	if err != nil {
		return nil, nil, err
	}
	return r, it.rs.Raw(), nil
}

// finish checks that no bytes follow the last declared record.
func (it *recordIter) finish() error { return recordErr(it.rs.Finish()) }

// recordErr classes a record reading failure as Kafka answers it: a codec
// rejecting its input is a corrupt message, records that do not decode,
// do not match their count or inflate past the bound are an invalid record.
func recordErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, recordbatch.ErrCodec):
		return fmt.Errorf("%w: %w", err, ErrCorruptMessage)
	}
	return fmt.Errorf("%w: %w", err, ErrInvalidRecord)
}
