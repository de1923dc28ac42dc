package handler

import (
	"context"
	"errors"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/daemon/internal/server"
	"github.com/kqhq/kq/daemon/placement"
)

// Metadata v0-12, answered from the metadata cache so that every broker
// reports the controller's leaders. Brokers are listed with their endpoint on
// the listener the request came in on.
func (h *Handler) metadata(ctx context.Context, req *server.Request, body *kmsg.MetadataRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.MetadataResponse)
	snap := h.deps.Cache.Load()
	resp.ClusterID = &snap.ClusterID
	resp.ControllerID = snap.ControllerID
	resp.Brokers = metadataBrokers(snap, req.Conn.Listener)
	for _, name := range h.requestedTopics(snap, body) {
		resp.Topics = append(resp.Topics, h.metadataTopic(ctx, snap, body, name))
	}
	for _, id := range requestedTopicIDs(body) {
		resp.Topics = append(resp.Topics, metadataTopicByID(snap, body.Version, id))
	}
	return resp, nil
}

// requestedTopics returns the names asked for: all topics for a null list
// (or an empty one at v0, where empty meant all).
func (h *Handler) requestedTopics(snap *metadatacache.Snapshot, body *kmsg.MetadataRequest) []string {
	if body.Topics == nil || (body.Version == 0 && len(body.Topics) == 0) {
		return snap.TopicNames()
	}
	var names []string
	for _, t := range body.Topics {
		if t.Topic != nil {
			names = append(names, *t.Topic)
		}
	}
	return names
}

func requestedTopicIDs(body *kmsg.MetadataRequest) [][16]byte {
	var ids [][16]byte
	for _, t := range body.Topics {
		if t.Topic == nil && t.TopicID != ([16]byte{}) {
			ids = append(ids, t.TopicID)
		}
	}
	return ids
}

func metadataBrokers(snap *metadatacache.Snapshot, listener string) []kmsg.MetadataResponseBroker {
	var out []kmsg.MetadataResponseBroker
	for _, id := range snap.BrokerIDs() {
		b := snap.Brokers[id]
		ep, ok := b.Endpoint(listener)
		if !ok {
			continue
		}
		out = append(out, kmsg.MetadataResponseBroker{NodeID: id, Host: ep.Host, Port: ep.Port, Rack: b.Rack})
	}
	return out
}

func (h *Handler) metadataTopic(ctx context.Context, snap *metadatacache.Snapshot, body *kmsg.MetadataRequest, name string) kmsg.MetadataResponseTopic {
	t := kmsg.NewMetadataResponseTopic()
	t.Topic = &name
	t.IsInternal = placement.IsInternalTopic(name)
	topic, ok := snap.Topic(name)
	if !ok {
		t.ErrorCode = h.autoCreate(ctx, body, name)
		return t
	}
	t.TopicID = topic.ID
	t.Partitions = metadataPartitions(snap, body.Version, topic)
	return t
}

func metadataTopicByID(snap *metadatacache.Snapshot, version int16, id [16]byte) kmsg.MetadataResponseTopic {
	t := kmsg.NewMetadataResponseTopic()
	t.TopicID = id
	name, ok := snap.TopicName(id)
	if !ok {
		t.ErrorCode = kerr.UnknownTopicID.Code
		return t
	}
	topic, _ := snap.Topic(name)
	t.Topic = &name
	t.IsInternal = placement.IsInternalTopic(name)
	t.Partitions = metadataPartitions(snap, version, topic)
	return t
}

// autoCreate creates a missing topic when the broker and the request allow
// it (v4+ requests say whether they allow it; older ones always did), and
// returns the code to report: LEADER_NOT_AVAILABLE while leaders are being
// elected, as Kafka answers for a topic it just created.
func (h *Handler) autoCreate(ctx context.Context, body *kmsg.MetadataRequest, name string) int16 {
	allowed := body.Version < 4 || body.AllowAutoTopicCreation
	if !allowed || !h.deps.Settings().AutoCreateTopics {
		return kerr.UnknownTopicOrPartition.Code
	}
	if err := placement.ValidateTopicName(name); err != nil {
		return kerr.InvalidTopicException.Code
	}
	if placement.IsInternalTopic(name) {
		return kerr.UnknownTopicOrPartition.Code
	}
	err := h.createWithDefaults(ctx, name)
	switch {
	case err == nil, errors.Is(err, kerr.TopicAlreadyExists):
		return kerr.LeaderNotAvailable.Code
	default:
		h.log.Warn("auto-create topic failed", "topic", name, "err", err)
		return errorCode(err)
	}
}

func metadataPartitions(snap *metadatacache.Snapshot, version int16, topic *metadatacache.Topic) []kmsg.MetadataResponseTopicPartition {
	out := make([]kmsg.MetadataResponseTopicPartition, 0, len(topic.Partitions))
	for _, p := range topic.Partitions {
		mp := kmsg.NewMetadataResponseTopicPartition()
		mp.Partition = p.Partition
		mp.Leader = p.Leader
		mp.LeaderEpoch = p.LeaderEpoch
		mp.Replicas = p.Replicas
		mp.ISR = p.ISR
		mp.OfflineReplicas = p.Offline
		if _, alive := snap.Brokers[p.Leader]; !alive {
			mp.ErrorCode = kerr.LeaderNotAvailable.Code
			mp.Leader = -1
		}
		if version == 0 {
			mp.Replicas, mp.ISR = liveOnly(snap, p.Replicas), liveOnly(snap, p.ISR)
			if mp.ErrorCode == 0 && len(mp.Replicas) < len(p.Replicas) {
				mp.ErrorCode = kerr.ReplicaNotAvailable.Code
			}
		}
		out = append(out, mp)
	}
	return out
}

func liveOnly(snap *metadatacache.Snapshot, ids []int32) []int32 {
	out := make([]int32, 0, len(ids))
	for _, id := range ids {
		if _, ok := snap.Brokers[id]; ok {
			out = append(out, id)
		}
	}
	return out
}
