package group

import (
	"errors"
	"fmt"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/store/partitionlog"
)

func TestReplicaError(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"success", nil, nil},
		{"not leader", replica.ErrNotLeaderOrFollower, kerr.NotLeaderForPartition},
		// The coordinator's own loaded epoch no longer matches: it lost
		// the partition, whichever way the epoch moved.
		{"fenced epoch", replica.ErrFencedLeaderEpoch, kerr.NotLeaderForPartition},
		{"unknown epoch", replica.ErrUnknownLeaderEpoch, kerr.NotLeaderForPartition},
		{"log dir offline", fmt.Errorf("t-0: %w: %w", partitionlog.ErrLogDirOffline, errors.New("EIO")), kerr.KafkaStorageError},
		{"too large", partitionlog.ErrMessageTooLarge, kerr.MessageTooLarge},
		{"fenced producer", partitionlog.ErrInvalidProducerEpoch, kerr.InvalidProducerEpoch},
		{"Kafka error", kerr.RequestTimedOut, kerr.RequestTimedOut},
		// Kafka's ReplicaManager answers an exception it has no code for
		// with UNKNOWN_SERVER_ERROR, which GroupMetadataManager passes on.
		{"no code", errors.New("something else"), kerr.UnknownServerError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := replicaError(tt.err)
			if tt.want == nil {
				if got != nil {
					t.Fatalf("replicaError(nil) = %v, want nil", got)
				}
				return
			}
			if got != tt.want {
				t.Fatalf("replicaError(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}
