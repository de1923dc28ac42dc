package handler

import (
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/replica"
)

// leaderAck is the wait of an acks=1 produce: none under
// flush.mode=pagecache, where the append is the acknowledgement; the
// leader's fsync under group-commit. acks=0 never waits. An append already
// stored, or one that can no longer be (leadership lost, fsync failed),
// is answered at once.
func leaderAck(part *replica.Partition, p *kmsg.ProduceResponseTopicPartition, acks int16, end int64) *pendingAck {
	if acks != 1 || part.DurableEnd() >= end {
		return nil // the append itself answered for leadership, as it always has
	}
	done, _, err := part.Stored(end)
	if !done {
		return &pendingAck{part: part, end: end, leaderOnly: true}
	}
	if err != nil {
		p.ErrorCode = kafkaerr.Code(err)
	}
	return nil
}

// settled asks the partition whether the wait is over: the ISR for
// acks=all, the leader's own log for acks=1.
func (w pendingAck) settled() (done bool, wake <-chan struct{}, err error) {
	if w.leaderOnly {
		return w.part.Stored(w.end)
	}
	return w.part.Replicated(w.end, w.minInsync)
}
