package partitionlog

import (
	"errors"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/store/recordbatch"
)

// TestCoordinatorTxnBatches: the group coordinator writes a transactional
// producer's offset commits with base sequence -1 (Kafka's origin
// COORDINATOR): every such batch is written, never taken for a duplicate
// or out of sequence, while an older epoch is still fenced. A client's
// sequence-less transactional batch is refused (Kafka's origin CLIENT).
func TestCoordinatorTxnBatches(t *testing.T) {
	l := testLog(t, DefaultConfig(), nil)
	coord := func(epoch int16) []byte {
		return buildBatch(t, batchSpec{producer: 7, seq: -1, editBatch: func(b *kmsg.RecordBatch) {
			b.Attributes |= recordbatch.AttrTransactional
			b.ProducerEpoch = epoch
		}})
	}
	if _, err := l.Append(coord(1), 0); !errors.Is(err, ErrInvalidRecord) {
		t.Fatalf("a client's transactional batch without sequence: %v, want INVALID_RECORD", err)
	}
	for i := range 3 {
		info, err := l.AppendAsCoordinator(coord(1), 0)
		if err != nil || info.Duplicate || info.FirstOffset != int64(i) {
			t.Fatalf("commit %d: %+v %v", i, info, err)
		}
	}
	if _, err := l.AppendAsCoordinator(coord(0), 0); !errors.Is(err, ErrInvalidProducerEpoch) {
		t.Fatalf("older epoch: %v", err)
	}
}
