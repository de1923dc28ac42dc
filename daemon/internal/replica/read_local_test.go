package replica_test

import (
	"testing"

	"github.com/kqhq/kq/daemon/internal/replica"
)

// A coordinator loading its partition reads what its log holds, above the
// high watermark too; a consumer does not.
func TestReadToLogEndPassesTheHighWatermark(t *testing.T) {
	m, _ := newManager(t)
	p := lead(t, m, replica.State{Leader: self, Replicas: []int32{1, 2}, ISR: []int32{1, 2}})
	mustAppend(t, p, 3)
	mustAppend(t, p, 2)
	if _, hw, leo := p.Offsets(); hw != 0 || leo != 5 {
		t.Fatalf("high watermark %d, log end %d; want 0 and 5", hw, leo)
	}
	consumer, err := p.Read(replica.FetchParams{Offset: 0, MaxBytes: 1 << 20, LeaderEpoch: -1, ReplicaID: -1})
	if err != nil || consumer.Data.Len != 0 {
		t.Fatalf("consumer read %d bytes, %v; want nothing below the high watermark", consumer.Data.Len, err)
	}
	tests := []struct {
		offset, maxBytes int32
		first, next      int64
	}{
		{offset: 0, maxBytes: 1 << 20, first: 0, next: 5},
		{offset: 3, maxBytes: 1 << 20, first: 3, next: 5},
		{offset: 0, maxBytes: 1, first: 0, next: 3}, // at least one batch
	}
	for _, tc := range tests {
		res, err := p.ReadToLogEnd(int64(tc.offset), tc.maxBytes)
		if err != nil || res.FirstOffset != tc.first || res.NextOffset != tc.next {
			t.Errorf("ReadToLogEnd(%d, %d) = [%d, %d), %v; want [%d, %d)", tc.offset, tc.maxBytes, res.FirstOffset, res.NextOffset, err, tc.first, tc.next)
		}
	}
}
