package replica

import (
	"fmt"

	"github.com/kqhq/kq/store/partitionlog"
	"github.com/kqhq/kq/store/recordbatch"
)

// AppendAsLeader appends a produce request's records for this partition.
// With acks=all (-1), an ISR smaller than minInsync refuses the append
// before anything is written.
func (p *Partition) AppendAsLeader(records []byte, acks int16, minInsync int) (partitionlog.AppendInfo, error) {
	return p.appendAsLeader(acks, minInsync, func(epoch int32) (partitionlog.AppendInfo, error) { return p.log.Append(records, epoch) })
}

// AppendConvertedAsLeader is AppendAsLeader for a batch the broker
// converted from a legacy message set, with the records it compressed
// into it (partitionlog.Log.AppendConverted).
func (p *Partition) AppendConvertedAsLeader(b recordbatch.Built, acks int16, minInsync int) (partitionlog.AppendInfo, error) {
	return p.appendAsLeader(acks, minInsync, func(epoch int32) (partitionlog.AppendInfo, error) { return p.log.AppendConverted(b, epoch) })
}

// AppendAsCoordinator is AppendAsLeader for a coordinator's own writes to
// its internal topic (partitionlog.Log.AppendAsCoordinator).
func (p *Partition) AppendAsCoordinator(records []byte, minInsync int) (partitionlog.AppendInfo, error) {
	return p.appendAsLeader(-1, minInsync, func(epoch int32) (partitionlog.AppendInfo, error) {
		return p.log.AppendAsCoordinator(records, epoch)
	})
}

// appendAsLeader runs appendFn with the leader epoch, once this replica is
// the leader and the ISR is large enough for acks.
func (p *Partition) appendAsLeader(acks int16, minInsync int, appendFn func(leaderEpoch int32) (partitionlog.AppendInfo, error)) (partitionlog.AppendInfo, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.isLeaderLocked() {
		return partitionlog.AppendInfo{}, ErrNotLeaderOrFollower
	}
	if acks == -1 && len(p.state.ISR) < minInsync {
		return partitionlog.AppendInfo{}, fmt.Errorf("%w: ISR %v, min.insync.replicas %d", ErrNotEnoughReplicas, p.state.ISR, minInsync)
	}
	info, err := appendFn(p.state.LeaderEpoch)
	if err != nil {
		return info, err
	}
	p.maybeAdvanceHWLocked()
	p.notifyLocked()
	return info, nil
}

// MaxMessageBytes is the topic's max.message.bytes as the log applies it:
// the largest batch an append accepts.
func (p *Partition) MaxMessageBytes() int32 { return p.log.Config().MaxMessageBytes }

// Replicated reports whether every offset below end is committed (below the
// high watermark). When it is not yet, wake is closed at the next change.
// Losing leadership, or an ISR shrunk below minInsync, ends the wait with an
// error, as Kafka's DelayedProduce does.
func (p *Partition) Replicated(end int64, minInsync int) (done bool, wake <-chan struct{}, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.isLeaderLocked() {
		return true, nil, ErrNotLeaderOrFollower
	}
	if p.log.HighWatermark() < end {
		if _, _, err := p.log.Durable(end); err != nil {
			return true, nil, err // the leader's fsync failed: its log is offline
		}
		return false, p.changed, nil
	}
	if len(p.state.ISR) < minInsync {
		return true, nil, ErrNotEnoughReplicasAfterAppend
	}
	return true, nil, nil
}
