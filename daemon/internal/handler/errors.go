package handler

import (
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/store/partitionlog"
)

// errorCode maps a domain error to the Kafka error code a client expects.
// Unknown errors become KAFKA_STORAGE_ERROR when they come from the log and
// UNKNOWN_SERVER_ERROR otherwise; both are logged by the caller.
func errorCode(err error) int16 {
	if err == nil {
		return 0
	}
	for _, m := range errorCodes {
		if errors.Is(err, m.err) {
			return m.code.Code
		}
	}
	var ke *kerr.Error
	if errors.As(err, &ke) {
		return ke.Code
	}
	return kerr.UnknownServerError.Code
}

var errorCodes = []struct {
	err  error
	code *kerr.Error
}{
	{replica.ErrUnknownTopicOrPartition, kerr.UnknownTopicOrPartition},
	{replica.ErrNotLeaderOrFollower, kerr.NotLeaderForPartition},
	{replica.ErrNotEnoughReplicas, kerr.NotEnoughReplicas},
	{replica.ErrNotEnoughReplicasAfterAppend, kerr.NotEnoughReplicasAfterAppend},
	{replica.ErrFencedLeaderEpoch, kerr.FencedLeaderEpoch},
	{replica.ErrUnknownLeaderEpoch, kerr.UnknownLeaderEpoch},
	{replica.ErrStaleControllerEpoch, kerr.StaleControllerEpoch},
	{replica.ErrStaleLeaderEpoch, kerr.StaleControllerEpoch},
	{partitionlog.ErrCorruptMessage, kerr.CorruptMessage},
	{partitionlog.ErrInvalidRecord, kerr.InvalidRecord},
	{partitionlog.ErrMessageTooLarge, kerr.MessageTooLarge},
	{partitionlog.ErrRecordListTooLarge, kerr.RecordListTooLarge},
	{partitionlog.ErrInvalidTimestamp, kerr.InvalidTimestamp},
	{partitionlog.ErrClosed, kerr.NotLeaderForPartition},
	{partitionlog.ErrUnsupportedVersion, kerr.UnsupportedForMessageFormat},
	{partitionlog.ErrOffsetOutOfRange, kerr.OffsetOutOfRange},
	{partitionlog.ErrLogDirOffline, kerr.KafkaStorageError},
	{partitionlog.ErrOutOfOrderSequence, kerr.OutOfOrderSequenceNumber},
	{partitionlog.ErrInvalidProducerEpoch, kerr.InvalidProducerEpoch},
	{partitionlog.ErrInvalidTxnState, kerr.InvalidTxnState},
	{partitionlog.ErrTransactionCoordinatorFenced, kerr.TransactionCoordinatorFenced},
}

// errorMessage returns the text for a response's error_message field: nil
// for success, the error's text otherwise.
func errorMessage(err error) *string {
	if err == nil {
		return nil
	}
	s := err.Error()
	return &s
}

// codedError is a Kafka error code with a message for the response's
// error_message field; errors.Is matches the code.
type codedError struct {
	code *kerr.Error
	msg  string
}

func (e *codedError) Error() string { return e.msg }
func (e *codedError) Unwrap() error { return e.code }

// kafkaErrorf returns an error carrying a Kafka error code and a message.
func kafkaErrorf(code *kerr.Error, format string, args ...any) error {
	return &codedError{code: code, msg: fmt.Sprintf(format, args...)}
}
