package replica

import (
	"fmt"

	"github.com/kqhq/kq/store/partitionlog"
)

// The follower side: what a fetcher does to a partition this broker
// follows. Every call names the leader epoch the fetch was made at and is
// refused with ErrNotLeaderOrFollower once a LeaderAndIsr moved the
// partition on, so a response to an older fetch never touches the log.

// FetchPosition is where a follower's next fetch starts.
type FetchPosition struct {
	Offset           int64 // the log end offset
	LastFetchedEpoch int32 // epoch of the last batch held; -1 when none
	LogStartOffset   int64
}

// FollowerPosition returns the fetch position of a followed partition.
func (p *Partition) FollowerPosition(leaderEpoch int32) (FetchPosition, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.checkFollowingLocked(leaderEpoch); err != nil {
		return FetchPosition{}, err
	}
	epoch, ok := p.log.LeaderEpochs().LatestEpoch()
	if !ok {
		epoch = -1
	}
	return FetchPosition{Offset: p.log.LogEndOffset(), LastFetchedEpoch: epoch, LogStartOffset: p.log.LogStartOffset()}, nil
}

func (p *Partition) checkFollowingLocked(leaderEpoch int32) error {
	if p.state.Leader == p.brokerID || p.state.Leader < 0 || p.state.LeaderEpoch != leaderEpoch {
		return fmt.Errorf("%w: %s-%d is no longer followed at leader epoch %d", ErrNotLeaderOrFollower, p.Topic, p.Index, leaderEpoch)
	}
	return nil
}

// AppendFromLeader writes what the leader returned (records may be empty)
// and takes the leader's high watermark, capped at this log's end, and its
// log start offset (Kafka's processPartitionData).
func (p *Partition) AppendFromLeader(leaderEpoch int32, records []byte, leaderHW, leaderLogStart int64) (partitionlog.AppendInfo, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.checkFollowingLocked(leaderEpoch); err != nil {
		return partitionlog.AppendInfo{}, err
	}
	info, err := p.log.AppendAsFollower(records)
	if err != nil {
		return info, err
	}
	p.log.SetHighWatermark(leaderHW)
	if start := min(leaderLogStart, p.log.HighWatermark()); start > p.log.LogStartOffset() {
		if err := p.log.AdvanceLogStartOffset(start); err != nil {
			return info, fmt.Errorf("follow the leader's log start %d: %w", start, err)
		}
	}
	p.notifyLocked()
	return info, nil
}

// TruncateToDivergence cuts the log where it parts from the leader's, given
// the leader's DivergingEpoch answer (Kafka's truncateOnFetchResponse): to
// the end of that epoch on both logs when this log has the epoch; to the end
// of this log's last earlier epoch when it does not (the next fetch then
// compares again). It returns the new log end offset.
func (p *Partition) TruncateToDivergence(leaderEpoch, divergingEpoch int32, leaderEnd int64) (int64, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.checkFollowingLocked(leaderEpoch); err != nil {
		return 0, err
	}
	leo := p.log.LogEndOffset()
	to := min(leaderEnd, leo)
	if epoch, end := p.log.LeaderEpochs().EndOffsetFor(divergingEpoch, leo); epoch != partitionlog.UndefinedEpoch {
		if epoch == divergingEpoch {
			to = min(end, to)
		} else {
			to = min(end, leo)
		}
	}
	if err := p.log.TruncateTo(to); err != nil {
		return 0, fmt.Errorf("truncate %s-%d to %d: %w", p.Topic, p.Index, to, err)
	}
	p.notifyLocked()
	return p.log.LogEndOffset(), nil
}

// ResetToLeader handles a fetch offset the leader could not serve, given
// the leader's log start and end (Kafka's handleOutOfRangeError): a leader
// log ending before ours (only after an unclean election) truncates ours to
// it; a leader log starting after our end restarts ours empty there.
func (p *Partition) ResetToLeader(leaderEpoch int32, leaderStart, leaderEnd int64) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.checkFollowingLocked(leaderEpoch); err != nil {
		return err
	}
	leo := p.log.LogEndOffset()
	var err error
	switch {
	case leaderEnd < leo:
		err = p.log.TruncateTo(leaderEnd)
	case leaderStart > leo:
		err = p.log.TruncateFullyAndStartAt(leaderStart)
	default:
		return nil
	}
	if err != nil {
		return fmt.Errorf("reset %s-%d to the leader's log [%d, %d): %w", p.Topic, p.Index, leaderStart, leaderEnd, err)
	}
	p.notifyLocked()
	return nil
}
