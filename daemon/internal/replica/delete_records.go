package replica

import (
	"fmt"

	"github.com/kqhq/kq/store/partitionlog"
)

// DeleteToHighWatermark asks DeleteRecordsBefore to delete every record
// below the high watermark (Kafka's DeleteRecordsRequest.HIGH_WATERMARK).
const DeleteToHighWatermark int64 = -1

// DeleteRecordsBefore moves the log start offset up to offset on the
// leader (DeleteRecords), as Kafka's Partition.deleteRecordsOnLeader:
// only the leader deletes, and only on a topic whose cleanup.policy has
// "delete" (ErrDeleteRecordsRefused otherwise); an offset below 0 or past
// the high watermark is ErrOffsetOutOfRange, and one at or below the log
// start changes nothing. It returns the log start offset after the move,
// the low watermark the client is answered. Followers move theirs as
// they fetch.
func (p *Partition) DeleteRecordsBefore(offset int64) (int64, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.isLeaderLocked() {
		return -1, ErrNotLeaderOrFollower
	}
	if p.log.Config().NoDeletePolicy {
		return -1, fmt.Errorf("%s-%d: %w", p.Topic, p.Index, ErrDeleteRecordsRefused)
	}
	hw := p.log.HighWatermark()
	if offset == DeleteToHighWatermark {
		offset = hw
	}
	if offset < 0 || offset > hw {
		return -1, fmt.Errorf("delete records of %s-%d before %d, high watermark %d: %w",
			p.Topic, p.Index, offset, hw, partitionlog.ErrOffsetOutOfRange)
	}
	if logStart := p.log.LogStartOffset(); offset <= logStart {
		return logStart, nil
	}
	if err := p.log.AdvanceLogStartOffset(offset); err != nil {
		return -1, fmt.Errorf("delete records of %s-%d before %d: %w", p.Topic, p.Index, offset, err)
	}
	return p.log.LogStartOffset(), nil
}
