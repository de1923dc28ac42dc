package fetcher

import (
	"context"
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/replica"
)

// entry is one partition of a fetch round.
type entry struct {
	p     *replica.Partition
	st    *fetchState
	epoch int32
	pos   replica.FetchPosition
}

// round sends one Fetch for the batch and applies the answer.
func (f *fetcher) round(ctx context.Context, batch []entry) {
	batch = f.positions(awaitStored(ctx, batch))
	batch = f.unthrottled(batch) // throttle.go
	if len(batch) == 0 {
		return
	}
	cl, ok := f.connect()
	if !ok {
		for _, e := range batch {
			f.retryIn(e, min(unknownAddressRetry, f.cfg.Backoff))
		}
		return
	}
	rctx, cancel := context.WithTimeout(ctx, f.cfg.RequestTimeout)
	defer cancel()
	resp, err := cl.Request(rctx, f.fetchRequest(batch))
	if err != nil {
		if ctx.Err() == nil {
			f.log.Warn("fetch from leader failed", "addr", f.addr, "partitions", len(batch), "err", err)
			f.disconnect()
			f.backoffAll(batch)
		}
		return
	}
	f.apply(ctx, batch, resp.(*kmsg.FetchResponse))
}

// positions reads each partition's fetch position, dropping those no
// longer followed at the entry's epoch.
func (f *fetcher) positions(batch []entry) []entry {
	out := batch[:0]
	for _, e := range batch {
		pos, err := e.p.FollowerPosition(e.epoch)
		if err != nil {
			f.stall(e) // a LeaderAndIsr is on its way: Follow will reset it
			continue
		}
		e.pos = pos
		out = append(out, e)
	}
	return out
}

func (f *fetcher) backoffAll(batch []entry) {
	for _, e := range batch {
		f.backoff(e)
	}
}

// fetchRequest builds a full (sessionless) Fetch naming this broker as the
// replica: replica_id below v15, replica_state from v15; topics by name and
// by id, for whichever version the client negotiates.
func (f *fetcher) fetchRequest(batch []entry) *kmsg.FetchRequest {
	req := kmsg.NewPtrFetchRequest()
	req.ReplicaID = f.cfg.BrokerID
	req.ReplicaState.ID, req.ReplicaState.Epoch = f.cfg.BrokerID, -1
	req.MaxWaitMillis = int32(f.cfg.MaxWait.Milliseconds())
	req.MinBytes, req.MaxBytes = f.cfg.MinBytes, f.cfg.ResponseMaxBytes
	req.SessionID, req.SessionEpoch = 0, -1
	for _, e := range batch {
		rp := kmsg.NewFetchRequestTopicPartition()
		rp.Partition, rp.CurrentLeaderEpoch = e.p.Index, e.epoch
		rp.FetchOffset, rp.LastFetchedEpoch, rp.LogStartOffset = e.pos.Offset, e.pos.LastFetchedEpoch, e.pos.LogStartOffset
		rp.PartitionMaxBytes = f.cfg.MaxBytes
		t := requestTopic(req, e.p)
		t.Partitions = append(t.Partitions, rp)
	}
	return req
}

func requestTopic(req *kmsg.FetchRequest, p *replica.Partition) *kmsg.FetchRequestTopic {
	for i := range req.Topics {
		if req.Topics[i].Topic == p.Topic {
			return &req.Topics[i]
		}
	}
	t := kmsg.NewFetchRequestTopic()
	t.Topic, t.TopicID = p.Topic, p.TopicID
	req.Topics = append(req.Topics, t)
	return &req.Topics[len(req.Topics)-1]
}

// apply handles each partition of the response.
func (f *fetcher) apply(ctx context.Context, batch []entry, resp *kmsg.FetchResponse) {
	if err := kerr.ErrorForCode(resp.ErrorCode); err != nil {
		f.log.Warn("fetch refused", "addr", f.addr, "err", err)
		f.backoffAll(batch)
		return
	}
	for _, e := range batch {
		rp, ok := findPartition(resp, e.p)
		if !ok || !f.current(e) {
			continue
		}
		f.applyPartition(ctx, e, rp, resp.Version)
	}
}

func findPartition(resp *kmsg.FetchResponse, p *replica.Partition) (*kmsg.FetchResponseTopicPartition, bool) {
	for ti := range resp.Topics {
		t := &resp.Topics[ti]
		if t.Topic != p.Topic && (t.TopicID == [16]byte{} || t.TopicID != p.TopicID) {
			continue
		}
		for pi := range t.Partitions {
			if t.Partitions[pi].Partition == p.Index {
				return &t.Partitions[pi], true
			}
		}
	}
	return nil, false
}

func (f *fetcher) applyPartition(ctx context.Context, e entry, rp *kmsg.FetchResponseTopicPartition, version int16) {
	err := kerr.ErrorForCode(rp.ErrorCode)
	switch {
	case err == nil:
		err = f.applyData(e, rp, version)
	case errors.Is(err, kerr.OffsetOutOfRange):
		err = f.resetOutOfRange(ctx, e)
	case errors.Is(err, kerr.FencedLeaderEpoch):
		// The leader is at a newer epoch than ours: the controller's
		// LeaderAndIsr will bring it, and Follow resumes fetching.
		f.stall(e)
		return
	}
	switch {
	case err == nil:
	case errors.Is(err, replica.ErrNotLeaderOrFollower):
		// The partition moved on while the fetch was in flight.
	default:
		f.log.Debug("partition fetch failed; backing off", "topic", e.p.Topic, "partition", e.p.Index, "err", err)
		f.backoff(e)
	}
}

// applyData appends the records or, when the leader named a diverging
// epoch, truncates to it.
func (f *fetcher) applyData(e entry, rp *kmsg.FetchResponseTopicPartition, version int16) error {
	if d := rp.DivergingEpoch; version >= 12 && d.Epoch >= 0 && d.EndOffset >= 0 {
		leo, err := e.p.TruncateToDivergence(e.epoch, d.Epoch, d.EndOffset)
		if err == nil {
			f.log.Info("truncated diverging log", "topic", e.p.Topic, "partition", e.p.Index,
				"leader_epoch", d.Epoch, "leader_end_offset", d.EndOffset, "log_end_offset", leo)
		}
		return err
	}
	if _, err := e.p.AppendFromLeader(e.epoch, rp.RecordBatches, rp.HighWatermark, rp.LogStartOffset); err != nil {
		return fmt.Errorf("append from leader at %d: %w", e.pos.Offset, err)
	}
	f.recordThrottled(e, len(rp.RecordBatches))
	return nil
}
