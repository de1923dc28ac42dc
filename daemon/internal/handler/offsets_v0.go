package handler

import (
	"context"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/server"
)

// LegacyOffsets keeps the offsets of OffsetCommit v0 and answers OffsetFetch
// v0, in ZooKeeper at /consumers/<group>/offsets/<topic>/<partition> as
// Kafka's ZooKeeper-mode broker does: version-0 clients predate
// __consumer_offsets and the group coordinator never sees these commits.
type LegacyOffsets interface {
	SetConsumerOffset(ctx context.Context, group, topic string, partition int32, offset int64) error
	// ConsumerOffset reports ok=false when the group has no offset there.
	ConsumerOffset(ctx context.Context, group, topic string, partition int32) (offset int64, ok bool, err error)
}

// legacyOffsetsTimeout bounds the metadata-store work of one v0 request,
// which carries no timeout of its own.
const legacyOffsetsTimeout = 30 * time.Second

// offsetSlot is a partition of a v0 request: where its answer goes.
type offsetSlot struct {
	topic     string
	partition int32
	code      *int16
	offset    *int64 // OffsetFetch only
}

// offsetCommitV0 writes each known partition's offset to the metadata
// store. Unknown partitions are UNKNOWN_TOPIC_OR_PARTITION and metadata
// over offset.metadata.max.bytes is OFFSET_METADATA_TOO_LARGE, as Kafka
// answers; an empty group id, which would name no znode, is INVALID_GROUP_ID.
func (h *Handler) offsetCommitV0(ctx context.Context, body *kmsg.OffsetCommitRequest, denied map[string]bool) (*server.Response, error) {
	resp := body.ResponseKind().(*kmsg.OffsetCommitResponse)
	snap, maxMeta := h.deps.Cache.Load(), h.deps.Settings().OffsetMetadataMaxBytes
	var todo []offsetSlot
	var offsets []int64
	for _, rt := range body.Topics {
		t := kmsg.NewOffsetCommitResponseTopic()
		t.Topic = rt.Topic
		t.Partitions = make([]kmsg.OffsetCommitResponseTopicPartition, len(rt.Partitions))
		resp.Topics = append(resp.Topics, t)
	}
	for i, rt := range body.Topics {
		for j, rp := range rt.Partitions {
			p := &resp.Topics[i].Partitions[j]
			p.Partition = rp.Partition
			_, known := snap.Partition(rt.Topic, rp.Partition)
			switch {
			case body.Group == "":
				p.ErrorCode = kerr.InvalidGroupID.Code
			case denied[rt.Topic]:
				p.ErrorCode = kerr.TopicAuthorizationFailed.Code
			case !known:
				p.ErrorCode = kerr.UnknownTopicOrPartition.Code
			case rp.Metadata != nil && maxMeta > 0 && len(*rp.Metadata) > maxMeta:
				p.ErrorCode = kerr.OffsetMetadataTooLarge.Code
			default:
				todo = append(todo, offsetSlot{topic: rt.Topic, partition: rp.Partition, code: &p.ErrorCode})
				offsets = append(offsets, rp.Offset)
			}
		}
	}
	if len(todo) == 0 {
		return &server.Response{Msg: resp}, nil
	}
	out, complete := parked(ctx)
	go func() {
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), legacyOffsetsTimeout)
		defer cancel()
		for i, s := range todo {
			err := h.deps.LegacyOffsets.SetConsumerOffset(wctx, body.Group, s.topic, s.partition, offsets[i])
			*s.code = h.legacyOffsetsCode("commit", body.Group, s, err)
		}
		complete(resp)
	}()
	return out, nil
}

// offsetFetchV0 reads each partition's offset from the metadata store. A
// partition the cluster lacks, or one the group never committed, answers
// -1 with UNKNOWN_TOPIC_OR_PARTITION, as Kafka's v0 does.
func (h *Handler) offsetFetchV0(ctx context.Context, body *kmsg.OffsetFetchRequest) (*server.Response, error) {
	resp := body.ResponseKind().(*kmsg.OffsetFetchResponse)
	snap := h.deps.Cache.Load()
	resp.Topics = partitionsWithError(body.Topics, 0)
	var todo []offsetSlot
	for i := range resp.Topics {
		t := &resp.Topics[i]
		for j := range t.Partitions {
			p := &t.Partitions[j]
			p.Metadata = new(string)
			if _, known := snap.Partition(t.Topic, p.Partition); !known {
				p.ErrorCode = kerr.UnknownTopicOrPartition.Code
				continue
			}
			todo = append(todo, offsetSlot{topic: t.Topic, partition: p.Partition, code: &p.ErrorCode, offset: &p.Offset})
		}
	}
	if len(todo) == 0 {
		return &server.Response{Msg: resp}, nil
	}
	out, complete := parked(ctx)
	go func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), legacyOffsetsTimeout)
		defer cancel()
		for _, s := range todo {
			offset, ok, err := h.deps.LegacyOffsets.ConsumerOffset(rctx, body.Group, s.topic, s.partition)
			switch {
			case err != nil:
				*s.code = h.legacyOffsetsCode("fetch", body.Group, s, err)
			case !ok:
				*s.code = kerr.UnknownTopicOrPartition.Code
			default:
				*s.offset = offset
			}
		}
		complete(resp)
	}()
	return out, nil
}

// legacyOffsetsCode maps a metadata-store failure to its error code and
// logs it, since the client only sees the code.
func (h *Handler) legacyOffsetsCode(op, group string, s offsetSlot, err error) int16 {
	if err == nil {
		return 0
	}
	h.deps.Logger.Warn("version-0 offset "+op+" failed", "group", group, "topic", s.topic, "partition", s.partition, "err", err)
	return kafkaerr.Code(err)
}
