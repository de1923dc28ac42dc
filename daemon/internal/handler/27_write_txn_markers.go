package handler

import (
	"context"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/group"
	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/daemon/internal/server"
	"github.com/kqhq/kq/store/partitionlog"
)

// markerTimeout bounds the wait for a marker's in-sync replicas. Kafka
// appends markers with acks=-1 and its request.timeout.ms (default 30 s),
// after which the partition answers REQUEST_TIMED_OUT and the coordinator
// retries; the coordinator's own request timeout is the same default.
const markerTimeout = 30 * time.Second

// WriteTxnMarkers v0-1: the transaction coordinator (of this broker or
// another) ends a producer's transaction on each partition it wrote to.
// It is an inter-broker request; kq has no ACLs, so anyone may send it.
// Each marker is appended on this broker's leader replica as a control
// batch, then the answer waits, off the connection's request path, until
// every marker is committed (acks=all) or fails. Once a marker is
// committed in a __consumer_offsets partition, the group coordinator
// makes the producer's transactional offsets visible (or drops them)
// before the answer, so a consumer that reads the commit reads them.
func (h *Handler) writeTxnMarkers(ctx context.Context, req *server.Request) (*server.Response, error) {
	body := req.Body.(*kmsg.WriteTxnMarkersRequest)
	resp := body.ResponseKind().(*kmsg.WriteTxnMarkersResponse)
	var waits []markerWait
	for mi, m := range body.Markers {
		rm := kmsg.NewWriteTxnMarkersResponseMarker()
		rm.ProducerID = m.ProducerID
		marker := partitionlog.TxnMarker{ProducerID: m.ProducerID, ProducerEpoch: m.ProducerEpoch,
			CoordinatorEpoch: m.CoordinatorEpoch, Commit: m.Committed}
		for ti, t := range m.Topics {
			rt := kmsg.NewWriteTxnMarkersResponseMarkerTopic()
			rt.Topic = t.Topic
			for pi, p := range t.Partitions {
				rp := kmsg.NewWriteTxnMarkersResponseMarkerTopicPartition()
				rp.Partition = p
				w, code := h.appendMarker(t.Topic, p, marker)
				rp.ErrorCode = code
				if w != nil {
					w.slot = [3]int{mi, ti, pi}
					waits = append(waits, *w)
				}
				rt.Partitions = append(rt.Partitions, rp)
			}
			rm.Topics = append(rm.Topics, rt)
		}
		resp.Markers = append(resp.Markers, rm)
	}
	if len(waits) == 0 {
		return &server.Response{Msg: resp}, nil
	}
	return later(func() kmsg.Response {
		h.awaitMarkers(ctx, resp, waits, markerTimeout)
		return resp
	}), nil
}

// markerWait is an appended marker waiting for the in-sync replicas.
type markerWait struct {
	part      *replica.Partition
	topic     string
	partition int32
	marker    partitionlog.TxnMarker
	end       int64 // one past the marker's offset
	minInsync int
	slot      [3]int // marker, topic and partition index in the response
	done      bool
}

// appendMarker writes one marker on the partition's leader: a wait for
// its replication, or the error code of a partition that refused it.
func (h *Handler) appendMarker(topic string, partition int32, m partitionlog.TxnMarker) (*markerWait, int16) {
	part, err := h.deps.Replicas.Leader(topic, partition, -1)
	if err != nil {
		return nil, h.partitionErrorCode(topic, partition, err)
	}
	minInsync := h.deps.Configs.MinInsyncReplicas(topic)
	info, err := part.AppendTxnMarker(m, minInsync)
	if err != nil {
		h.logUnexpected("WriteTxnMarkers", topic, partition, err)
		return nil, kafkaerr.Code(err)
	}
	return &markerWait{part: part, topic: topic, partition: partition, marker: m,
		end: info.LastOffset + 1, minInsync: minInsync}, 0
}

// awaitMarkers waits until every marker is committed or failed, marking
// those still waiting after the timeout REQUEST_TIMED_OUT. A committed
// marker of __consumer_offsets completes the producer's offsets first.
func (h *Handler) awaitMarkers(ctx context.Context, resp *kmsg.WriteTxnMarkersResponse, waits []markerWait, timeout time.Duration) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		wake := h.settleMarkers(resp, waits)
		if wake == nil {
			return
		}
		select {
		case <-wake:
		case <-deadline.C:
			markMarkers(resp, waits, kerr.RequestTimedOut.Code)
			return
		case <-ctx.Done():
			markMarkers(resp, waits, kerr.RequestTimedOut.Code)
			return
		}
	}
}

// settleMarkers records every wait that ended and returns a channel that
// fires when one still waiting may have progressed (nil: none waits).
func (h *Handler) settleMarkers(resp *kmsg.WriteTxnMarkersResponse, waits []markerWait) <-chan struct{} {
	var wake <-chan struct{}
	for i := range waits {
		w := &waits[i]
		if w.done {
			continue
		}
		done, ch, err := w.part.Replicated(w.end, w.minInsync)
		if !done {
			if wake == nil {
				wake = ch
			}
			continue
		}
		w.done = true
		if err != nil {
			markerSlot(resp, w.slot).ErrorCode = kafkaerr.Code(err)
			continue
		}
		if w.topic == group.TopicName && h.deps.Groups != nil {
			h.deps.Groups.CompleteTxn(w.partition, w.marker.ProducerID, w.marker.Commit, w.end-1)
		}
	}
	return wake
}

func markMarkers(resp *kmsg.WriteTxnMarkersResponse, waits []markerWait, code int16) {
	for _, w := range waits {
		if !w.done {
			markerSlot(resp, w.slot).ErrorCode = code
		}
	}
}

func markerSlot(resp *kmsg.WriteTxnMarkersResponse, slot [3]int) *kmsg.WriteTxnMarkersResponseMarkerTopicPartition {
	return &resp.Markers[slot[0]].Topics[slot[1]].Partitions[slot[2]]
}
