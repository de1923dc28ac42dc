package replica

import (
	"fmt"
	"math"
	"slices"

	"github.com/kqhq/kq/store/partitionlog"
)

// FetchParams describe one partition of a Fetch request.
type FetchParams struct {
	Offset      int64
	MaxBytes    int32
	LeaderEpoch int32 // current_leader_epoch, -1 when the client sends none
	ReplicaID   int32 // -1 for consumers; a broker id for followers
	MinOneBatch bool  // the first partition with data returns its first batch whole
	// LastFetchedEpoch (Fetch v12+, KIP-320/595) is the epoch of the last
	// batch the fetcher holds; -1 when it sends none. A log that diverged
	// from it is answered with DivergingEpoch instead of records.
	LastFetchedEpoch int32
	// IsolationLevel of a consumer (Fetch v4+): ReadUncommitted reads
	// below the high watermark, ReadCommitted below the last stable
	// offset. Followers read to the log end whatever it says.
	IsolationLevel int8
}

// EpochEnd is the end offset of a leader epoch on this log.
type EpochEnd struct {
	Epoch     int32
	EndOffset int64
}

// FetchResult is what one partition contributes to a Fetch response.
type FetchResult struct {
	Data           partitionlog.ReadResult
	HighWatermark  int64
	LogStartOffset int64
	LogEndOffset   int64
	// LastStableOffset is the offset below which every transaction is
	// decided (never above HighWatermark).
	LastStableOffset int64
	// AbortedTransactions, for a read_committed consumer only (nil
	// otherwise, never nil then), are the aborted transactions overlapping
	// the records returned: the consumer drops their records.
	AbortedTransactions []partitionlog.AbortedTxn
	// DivergingEpoch, when set, tells the fetcher its log diverged from this
	// one: truncate to it, then fetch again. Data is empty.
	DivergingEpoch *EpochEnd
	// HighWatermarkNews: a follower's fetch finds a high watermark it has
	// not been told; answer it without waiting for data.
	HighWatermarkNews bool
	// NoWait: waiting cannot make this read return more, so a delayed
	// fetch answers at once, as Kafka's DelayedFetch: the fetch offset is
	// on a segment older than the one holding the end offset (the read
	// stops at its segment's end however much follows), or past the end
	// offset (a consumer ahead of the high watermark, as on a new leader).
	NoWait bool
}

// Read serves a fetch from this partition. Consumers read below the high
// watermark (read_committed ones below the last stable offset, with the
// aborted transactions of what they read, as Kafka's FetchIsolation
// TXN_COMMITTED); a follower reads up to the log end offset, and its fetch
// offset tells the leader how far it has replicated.
func (p *Partition) Read(fp FetchParams) (FetchResult, error) {
	upTo, err := p.prepareRead(fp)
	if err != nil {
		return FetchResult{}, err
	}
	res := FetchResult{
		HighWatermark:  p.log.HighWatermark(),
		LogStartOffset: p.log.LogStartOffset(),
		LogEndOffset:   p.log.LogEndOffset(),
	}
	res.LastStableOffset = min(p.log.LastStableOffset(), res.HighWatermark)
	if fp.LastFetchedEpoch >= 0 {
		div, err := p.divergence(fp)
		if err != nil || div != nil {
			res.DivergingEpoch = div
			return res, err
		}
	}
	data, err := p.log.Read(fp.Offset, fp.MaxBytes, upTo, fp.MinOneBatch)
	if err != nil {
		return res, err
	}
	res.Data = data
	res.NoWait = data.OlderSegment || fp.Offset > upTo
	if fp.ReplicaID < 0 && fp.IsolationLevel == ReadCommitted {
		res.AbortedTransactions = p.abortedIn(fp.Offset, data)
	}
	if fp.ReplicaID >= 0 {
		// Only now is the fetch offset known to be on this log's history:
		// a diverging follower's offset must not move the high watermark.
		res.HighWatermark, res.HighWatermarkNews = p.recordFetch(fp.ReplicaID, fp.Offset)
	}
	return res, nil
}

// divergence compares the fetcher's last epoch with this log, as Kafka's
// Partition.readRecords: an epoch this log ended earlier, or never had, is
// where the fetcher must truncate to. An epoch the log cannot place, or a
// fetch offset below the log start, is OFFSET_OUT_OF_RANGE.
func (p *Partition) divergence(fp FetchParams) (*EpochEnd, error) {
	epoch, end := p.EpochEnd(fp.LastFetchedEpoch)
	switch {
	case epoch == partitionlog.UndefinedEpoch || end == partitionlog.UndefinedEpochOffset:
		return nil, fmt.Errorf("%w: cannot find the end of last fetched epoch %d", partitionlog.ErrOffsetOutOfRange, fp.LastFetchedEpoch)
	case fp.Offset < p.log.LogStartOffset():
		return nil, fmt.Errorf("%w: fetch offset %d below log start %d", partitionlog.ErrOffsetOutOfRange, fp.Offset, p.log.LogStartOffset())
	case epoch < fp.LastFetchedEpoch || end < fp.Offset:
		return &EpochEnd{Epoch: epoch, EndOffset: end}, nil
	}
	return nil, nil
}

func (p *Partition) prepareRead(fp FetchParams) (upTo int64, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.checkEpochLocked(fp.LeaderEpoch); err != nil {
		return 0, err
	}
	if !p.isLeaderLocked() {
		return 0, ErrNotLeaderOrFollower
	}
	if fp.ReplicaID < 0 {
		return p.readLimit(fp.IsolationLevel), nil
	}
	if !slices.Contains(p.state.Replicas, fp.ReplicaID) {
		// As Kafka, only an assigned replica may move the high watermark.
		return 0, fmt.Errorf("%w: broker %d is not a replica of %s-%d", ErrNotLeaderOrFollower, fp.ReplicaID, p.Topic, p.Index)
	}
	return p.log.LogEndOffset(), nil
}

// ReadToLogEnd reads this broker's copy of the partition from offset up
// to its log end, whole batches, about maxBytes of them and at least one,
// whatever the high watermark: a coordinator rebuilding its state from its
// internal topic reads it so, as Kafka's loaders read with
// FetchIsolation.LOG_END.
func (p *Partition) ReadToLogEnd(offset int64, maxBytes int32) (partitionlog.ReadResult, error) {
	return p.log.Read(offset, maxBytes, math.MaxInt64, true)
}

// Offsets returns the log start offset, high watermark and log end offset
// (LastStableOffset gives the fourth).
func (p *Partition) Offsets() (logStart, hw, leo int64) {
	return p.log.LogStartOffset(), p.log.HighWatermark(), p.log.LogEndOffset()
}

// EpochForOffset returns the leader epoch of the batch holding offset, or
// the current leader epoch for the log end (and when the cache has none).
func (p *Partition) EpochForOffset(offset int64) int32 {
	if epoch, ok := p.log.LeaderEpochs().EpochForOffset(offset); ok {
		return epoch
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.state.LeaderEpoch
}

// EpochEnd answers OffsetForLeaderEpoch: the largest epoch <= the requested
// one and the offset where it ended (the log end for the current epoch).
func (p *Partition) EpochEnd(epoch int32) (int32, int64) {
	return p.log.LeaderEpochs().EndOffsetFor(epoch, p.log.LogEndOffset())
}
