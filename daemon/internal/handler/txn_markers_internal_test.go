package handler

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
)

func TestTxnCommitErrorCode(t *testing.T) {
	tests := []struct {
		err     error
		version int16
		want    *kerr.Error
	}{
		{kerr.CoordinatorLoadInProgress, 1, kerr.CoordinatorNotAvailable},
		{kerr.CoordinatorLoadInProgress, 2, kerr.CoordinatorLoadInProgress},
		{kerr.NetworkException, 3, kerr.CoordinatorLoadInProgress},
		{kerr.NetworkException, 0, kerr.CoordinatorNotAvailable},
		{kerr.NotEnoughReplicas, 4, kerr.CoordinatorNotAvailable},
		{kerr.UnknownTopicOrPartition, 4, kerr.CoordinatorNotAvailable},
		{kerr.NotLeaderForPartition, 4, kerr.NotCoordinator},
		{kerr.KafkaStorageError, 4, kerr.NotCoordinator},
		{kerr.InvalidProducerEpoch, 4, kerr.InvalidProducerEpoch},
		{kerr.InvalidTxnState, 4, kerr.InvalidTxnState},
	}
	for _, tt := range tests {
		if got := txnCommitErrorCode(tt.err, tt.version); got != tt.want.Code {
			t.Errorf("%v at v%d: %d, want %v", tt.err, tt.version, got, tt.want)
		}
	}
	if got := txnCommitErrorCode(nil, 4); got != 0 {
		t.Errorf("nil: %d", got)
	}
}

func TestTxnVerificationError(t *testing.T) {
	tests := []struct {
		err     error
		version int16
		want    error
	}{
		{nil, 4, nil},
		{kerr.InvalidTxnState, 4, kerr.InvalidTxnState},
		{kerr.TransactionAbortable, 3, kerr.InvalidTxnState},
		{kerr.TransactionAbortable, 4, kerr.TransactionAbortable},
		{kerr.InvalidProducerEpoch, 4, kerr.InvalidProducerEpoch},
		{kerr.NotEnoughReplicas, 4, kerr.NotEnoughReplicas}, // then COORDINATOR_NOT_AVAILABLE
	}
	for _, tt := range tests {
		if got := txnVerificationError(tt.err, tt.version); got != tt.want {
			t.Errorf("%v at v%d: %v, want %v", tt.err, tt.version, got, tt.want)
		}
	}
}
