package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/daemon/internal/server"
)

// Special timestamps of ListOffsets.
const (
	latestTimestamp        = -1
	earliestTimestamp      = -2
	maxTimestamp           = -3 // v7+
	earliestLocalTimestamp = -4 // v8+: no tiered storage, so the log start
	earliestPendingUpload  = -5 // v9+: likewise
)

// ListOffsets v0-9. Consumers (replica_id -1) see offsets up to the high
// watermark, read_committed ones (isolation_level 1, v2+) up to the last
// stable offset: LATEST answers it, and timestamp lookups find nothing at
// or above it; a follower or the debugging replica id -2 sees the log end
// offset, as Kafka's isolation-less lookups do. From v1 a partition asked
// for twice is INVALID_REQUEST (both times), as in Kafka. Each topic needs
// Describe (TOPIC_AUTHORIZATION_FAILED).
func (h *Handler) listOffsets(_ context.Context, req *server.Request, body *kmsg.ListOffsetsRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.ListOffsetsResponse)
	dups := duplicateListPartitions(body)
	for _, rt := range body.Topics {
		t := kmsg.NewListOffsetsResponseTopic()
		t.Topic = rt.Topic
		described := h.allowed(req, opDescribe, resTopic, rt.Topic)
		for _, rp := range rt.Partitions {
			if !described || dups[partitionKey{rt.Topic, rp.Partition}] {
				p := kmsg.NewListOffsetsResponseTopicPartition()
				p.Partition, p.ErrorCode = rp.Partition, kerr.InvalidRequest.Code
				if !described {
					p.ErrorCode = kerr.TopicAuthorizationFailed.Code
				}
				t.Partitions = append(t.Partitions, p)
				continue
			}
			t.Partitions = append(t.Partitions, h.listOffset(rt.Topic, rp, body))
		}
		resp.Topics = append(resp.Topics, t)
	}
	return resp, nil
}

type partitionKey struct {
	topic     string
	partition int32
}

func duplicateListPartitions(body *kmsg.ListOffsetsRequest) map[partitionKey]bool {
	if body.Version < 1 {
		return nil
	}
	seen, dups := map[partitionKey]bool{}, map[partitionKey]bool{}
	for _, rt := range body.Topics {
		for _, rp := range rt.Partitions {
			k := partitionKey{rt.Topic, rp.Partition}
			dups[k] = seen[k]
			seen[k] = true
		}
	}
	return dups
}

func (h *Handler) listOffset(topic string, rp kmsg.ListOffsetsRequestTopicPartition, body *kmsg.ListOffsetsRequest) kmsg.ListOffsetsResponseTopicPartition {
	p := kmsg.NewListOffsetsResponseTopicPartition()
	p.Partition = rp.Partition
	part, err := h.deps.Replicas.Leader(topic, rp.Partition, rp.CurrentLeaderEpoch)
	if err != nil {
		p.ErrorCode = h.partitionErrorCode(topic, rp.Partition, err)
		return p
	}
	offset, ts, err := lookupOffset(part, rp.Timestamp, fetchableLimit(body))
	if err != nil {
		h.logUnexpected("list offsets", topic, rp.Partition, err)
		p.ErrorCode = kafkaerr.Code(err)
		return p
	}
	p.Offset, p.Timestamp = offset, ts
	switch {
	case rp.Timestamp == latestTimestamp: // Kafka answers the current epoch
		p.LeaderEpoch = part.State().LeaderEpoch
	case offset >= 0: // no match keeps Kafka's unknown epoch -1
		p.LeaderEpoch = part.EpochForOffset(offset)
	}
	if body.Version == 0 {
		p.OldStyleOffsets = oldStyleOffsets(offset, rp.MaxNumOffsets)
	}
	return p
}

// consumerReplicaID is the replica_id of a ListOffsets from a client.
const consumerReplicaID = -1

// fetchLimit says which offset bounds a ListOffsets lookup (Kafka's
// lastFetchableOffset).
type fetchLimit int

const (
	limitHighWatermark fetchLimit = iota
	limitLastStable
	limitLogEnd
)

func fetchableLimit(body *kmsg.ListOffsetsRequest) fetchLimit {
	switch {
	case body.ReplicaID != consumerReplicaID:
		return limitLogEnd
	case body.Version >= 2 && body.IsolationLevel == replica.ReadCommitted:
		return limitLastStable
	}
	return limitHighWatermark
}

// lookupOffset returns the offset and timestamp for a ListOffsets query;
// offset -1 means no record has a timestamp at or after the one asked for.
// Only offsets below the limit (the high watermark, last stable offset or
// log end) count.
func lookupOffset(part *replica.Partition, timestamp int64, limit fetchLimit) (offset, ts int64, err error) {
	logStart, fetchable, leo := part.Offsets()
	switch limit {
	case limitLogEnd:
		fetchable = leo
	case limitLastStable:
		fetchable = part.LastStableOffset()
	}
	switch timestamp {
	case latestTimestamp:
		return fetchable, -1, nil
	case earliestTimestamp, earliestLocalTimestamp, earliestPendingUpload:
		return logStart, -1, nil
	case maxTimestamp:
		t, o, err := part.MaxTimestamp()
		if err != nil || o < 0 || o >= fetchable {
			return -1, -1, err
		}
		return o, t, nil
	}
	o, t, ok, err := part.OffsetForTimestamp(timestamp)
	if err != nil || !ok || o >= fetchable {
		return -1, -1, err
	}
	return o, t, nil
}

// oldStyleOffsets answers v0, which returned a list of offsets.
func oldStyleOffsets(offset int64, max int32) []int64 {
	if offset < 0 || max <= 0 {
		return []int64{}
	}
	return []int64{offset}
}
