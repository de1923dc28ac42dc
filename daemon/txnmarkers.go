package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/daemon/internal/txn"
)

// markerWriter delivers transaction markers to partition leaders, as
// Kafka's TransactionMarkerChannelManager: the partitions of one job are
// grouped by their current leader (from this broker's metadata cache), one
// WriteTxnMarkers goes to each leader, and partitions that did not take
// their marker are retried after a backoff against whatever leader the
// cache then names, until every partition wrote it or no longer exists.
type markerWriter struct {
	cache *metadatacache.Cache
	send  func(ctx context.Context, broker int32, req kmsg.Request) (kmsg.Response, error)
	log   *slog.Logger
	// requestTimeout bounds one WriteTxnMarkers round trip
	// (request.timeout.ms of Kafka's marker channel).
	requestTimeout time.Duration
	backoff        time.Duration // first retry delay, doubled up to maxBackoff
	maxBackoff     time.Duration
	wg             *sync.WaitGroup
}

// errMarkersFenced abandons a job: a newer coordinator (or producer epoch)
// owns the transaction, so this coordinator must not complete it.
var errMarkersFenced = errors.New("transaction markers refused: coordinator or producer fenced")

// WriteMarkers implements txn.MarkerWriter.
func (w *markerWriter) WriteMarkers(ctx context.Context, m txn.Markers, done func(error)) {
	if w.wg != nil {
		w.wg.Add(1)
	}
	go func() {
		if w.wg != nil {
			defer w.wg.Done()
		}
		done(w.run(ctx, m))
	}()
}

func (w *markerWriter) run(ctx context.Context, m txn.Markers) error {
	pending := map[txn.TopicPartition]struct{}{}
	for _, tp := range m.Partitions {
		pending[tp] = struct{}{}
	}
	backoff := w.backoff
	for attempt := 0; ; attempt++ {
		byLeader := w.route(pending)
		if err := w.sendAll(ctx, m, byLeader, pending); err != nil {
			return err
		}
		if len(pending) == 0 {
			return nil
		}
		if attempt > 0 && attempt%50 == 0 {
			w.log.Warn("transaction markers still pending", "transactional.id", m.TransactionalID,
				"producer.id", m.ProducerID, "partitions", len(pending), "attempts", attempt)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("transaction markers for %q: %w", m.TransactionalID, context.Cause(ctx))
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, w.maxBackoff)
	}
}

// route groups the pending partitions by their leader. Partitions whose
// topic or partition the cache no longer knows are dropped: a deleted
// topic needs no marker (Kafka drops them the same way). Partitions
// without a leader wait for the next round.
func (w *markerWriter) route(pending map[txn.TopicPartition]struct{}) map[int32][]txn.TopicPartition {
	snap := w.cache.Load()
	byLeader := map[int32][]txn.TopicPartition{}
	for tp := range pending {
		p, ok := snap.Partition(tp.Topic, tp.Partition)
		if !ok {
			delete(pending, tp)
			continue
		}
		if p.Leader < 0 {
			continue
		}
		byLeader[p.Leader] = append(byLeader[p.Leader], tp)
	}
	return byLeader
}

// sendAll sends one WriteTxnMarkers per leader in parallel and removes
// the partitions that wrote their marker from pending.
func (w *markerWriter) sendAll(ctx context.Context, m txn.Markers, byLeader map[int32][]txn.TopicPartition, pending map[txn.TopicPartition]struct{}) error {
	type result struct {
		written []txn.TopicPartition
		fenced  error
	}
	results := make(chan result, len(byLeader))
	for leader, parts := range byLeader {
		go func() {
			written, fenced := w.sendOne(ctx, leader, m, parts)
			results <- result{written, fenced}
		}()
	}
	var fenced error
	for range byLeader {
		r := <-results
		for _, tp := range r.written {
			delete(pending, tp)
		}
		if r.fenced != nil {
			fenced = r.fenced
		}
	}
	return fenced
}

// sendOne writes the markers of parts on one leader and returns the
// partitions that took them. A fencing answer abandons the whole job.
func (w *markerWriter) sendOne(ctx context.Context, leader int32, m txn.Markers, parts []txn.TopicPartition) ([]txn.TopicPartition, error) {
	rctx, cancel := context.WithTimeout(ctx, w.requestTimeout)
	defer cancel()
	raw, err := w.send(rctx, leader, markersRequest(m, parts))
	if err != nil {
		w.log.Debug("write transaction markers", "broker", leader, "err", err)
		return nil, nil
	}
	resp, ok := raw.(*kmsg.WriteTxnMarkersResponse)
	if !ok {
		return nil, fmt.Errorf("write transaction markers to broker %d: response %T", leader, raw)
	}
	var written []txn.TopicPartition
	for _, mk := range resp.Markers {
		for _, t := range mk.Topics {
			for _, p := range t.Partitions {
				tp := txn.TopicPartition{Topic: t.Topic, Partition: p.Partition}
				switch code := p.ErrorCode; {
				case code == 0:
					written = append(written, tp)
				case isMarkerFencing(code):
					w.log.Info("transaction markers fenced", "transactional.id", m.TransactionalID,
						"producer.id", m.ProducerID, "topic", tp.Topic, "partition", tp.Partition, "err", kerr.ErrorForCode(code))
					return written, fmt.Errorf("%w: %w", errMarkersFenced, kerr.ErrorForCode(code))
				default:
					w.log.Debug("transaction marker not written, retrying", "broker", leader,
						"topic", tp.Topic, "partition", tp.Partition, "err", kerr.ErrorForCode(code))
				}
			}
		}
	}
	return written, nil
}

// isMarkerFencing: answers after which this coordinator must stop sending
// (Kafka's marker completion handler gives up on these and leaves the
// transaction to the coordinator that fenced it).
func isMarkerFencing(code int16) bool {
	return code == kerr.TransactionCoordinatorFenced.Code || code == kerr.InvalidProducerEpoch.Code || code == kerr.ProducerFenced.Code
}

func markersRequest(m txn.Markers, parts []txn.TopicPartition) *kmsg.WriteTxnMarkersRequest {
	req := kmsg.NewPtrWriteTxnMarkersRequest()
	mk := kmsg.NewWriteTxnMarkersRequestMarker()
	mk.ProducerID, mk.ProducerEpoch, mk.Committed, mk.CoordinatorEpoch = m.ProducerID, m.ProducerEpoch, m.Commit, m.CoordinatorEpoch
	for _, g := range byTopic(parts) {
		t := kmsg.NewWriteTxnMarkersRequestMarkerTopic()
		t.Topic, t.Partitions = g.topic, g.partitions
		mk.Topics = append(mk.Topics, t)
	}
	req.Markers = append(req.Markers, mk)
	return req
}

// topicPartitions is the partitions of one topic, as requests list them.
type topicPartitions struct {
	topic      string
	partitions []int32
}

// byTopic groups partitions by topic, topics in order of first appearance.
func byTopic(parts []txn.TopicPartition) []topicPartitions {
	var out []topicPartitions
	index := map[string]int{}
	for _, tp := range parts {
		i, ok := index[tp.Topic]
		if !ok {
			i = len(out)
			index[tp.Topic] = i
			out = append(out, topicPartitions{topic: tp.Topic})
		}
		out[i].partitions = append(out[i].partitions, tp.Partition)
	}
	return out
}
