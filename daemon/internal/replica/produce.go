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
	return p.appendAsLeader(acks, minInsync, func() (partitionlog.Prepared, error) { return p.log.Prepare(records) })
}

// AppendConvertedAsLeader is AppendAsLeader for a batch the broker
// converted from a legacy message set, with the records it compressed
// into it (partitionlog.Log.AppendConverted).
func (p *Partition) AppendConvertedAsLeader(b recordbatch.Built, acks int16, minInsync int) (partitionlog.AppendInfo, error) {
	return p.appendAsLeader(acks, minInsync, func() (partitionlog.Prepared, error) { return p.log.PrepareConverted(b) })
}

// AppendAsCoordinator is AppendAsLeader for a coordinator's own writes to
// its internal topic (partitionlog.Log.AppendAsCoordinator).
func (p *Partition) AppendAsCoordinator(records []byte, minInsync int) (partitionlog.AppendInfo, error) {
	return p.appendAsLeader(-1, minInsync, func() (partitionlog.Prepared, error) { return p.log.PrepareAsCoordinator(records) })
}

// appendAsLeader validates with prepare and appends, once this replica is
// the leader and the ISR is large enough for acks. Validation (CRC, the
// record walk, decompression) runs outside the partition's lock, so
// fetches, follower updates and other producers of the partition do not
// wait behind it; leadership and the ISR are checked before it, as Kafka
// answers them before looking at the records, and again under the lock
// that covers the write, which stamps the leader epoch checked there.
func (p *Partition) appendAsLeader(acks int16, minInsync int, prepare func() (partitionlog.Prepared, error)) (partitionlog.AppendInfo, error) {
	if err := p.checkAppend(acks, minInsync); err != nil {
		return partitionlog.AppendInfo{}, err
	}
	prepared, err := prepare()
	if err != nil {
		return partitionlog.AppendInfo{}, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.checkAppendLocked(acks, minInsync); err != nil {
		return partitionlog.AppendInfo{}, err
	}
	info, err := p.log.AppendPrepared(prepared, p.state.LeaderEpoch)
	if err != nil {
		return info, err
	}
	p.countAppend(info.RecordCount, info.Bytes, info.Duplicate)
	p.maybeAdvanceHWLocked()
	p.notifyLocked()
	return info, nil
}

// checkAppend is checkAppendLocked under the lock.
func (p *Partition) checkAppend(acks int16, minInsync int) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.checkAppendLocked(acks, minInsync)
}

// checkAppendLocked refuses an append when this broker does not lead, or
// when acks=all finds the ISR smaller than minInsync.
func (p *Partition) checkAppendLocked(acks int16, minInsync int) error {
	if !p.isLeaderLocked() {
		return ErrNotLeaderOrFollower
	}
	if acks == -1 && len(p.state.ISR) < minInsync {
		return fmt.Errorf("%w: ISR %v, min.insync.replicas %d", ErrNotEnoughReplicas, p.state.ISR, minInsync)
	}
	return nil
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
		if p.log.Offline() {
			// Not committed, and now never will be here: as Kafka's
			// DelayedProduce for a partition in an offline log dir.
			return true, nil, fmt.Errorf("%s-%d: %w", p.Topic, p.Index, partitionlog.ErrLogDirOffline)
		}
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
