package handler

import (
	"context"
	"errors"
	"slices"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/kafkaerr"
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
	all := allTopicsRequested(body)
	for _, name := range h.requestedTopics(snap, body) {
		if !h.allowed(req, opDescribe, resTopic, name) {
			// A listing leaves hidden topics out; a topic asked for
			// by name is refused, whether or not it exists.
			if !all {
				resp.Topics = append(resp.Topics, metadataTopicRefused(&name, [16]byte{}))
			}
			continue
		}
		t := h.metadataTopic(ctx, req, snap, body, name)
		t.AuthorizedOperations = h.authorizedOperations(req, body.IncludeTopicAuthorizedOperations, resTopic, name)
		resp.Topics = append(resp.Topics, t)
	}
	for _, id := range requestedTopicIDs(body) {
		resp.Topics = append(resp.Topics, h.metadataTopicByID(req, snap, body, id))
	}
	// Only v8-10 carry the cluster's operations; v11 moved them to
	// DescribeCluster.
	asked := body.Version >= 8 && body.Version <= 10 && body.IncludeClusterAuthorizedOperations
	resp.AuthorizedOperations = h.clusterOperations(req, asked)
	return resp, nil
}

// allTopicsRequested is a null topic list (or an empty one at v0, where
// empty meant all).
func allTopicsRequested(body *kmsg.MetadataRequest) bool {
	return body.Topics == nil || (body.Version == 0 && len(body.Topics) == 0)
}

// metadataTopicRefused is a topic the principal may not Describe: no
// partitions, no operations, TOPIC_AUTHORIZATION_FAILED.
func metadataTopicRefused(name *string, id [16]byte) kmsg.MetadataResponseTopic {
	t := kmsg.NewMetadataResponseTopic()
	t.Topic, t.TopicID = name, id
	t.ErrorCode = kerr.TopicAuthorizationFailed.Code
	return t
}

// requestedTopics returns the names asked for, each once (Kafka reads them
// into a set): all topics for a null list (or an empty one at v0, where
// empty meant all).
func (h *Handler) requestedTopics(snap *metadatacache.Snapshot, body *kmsg.MetadataRequest) []string {
	if allTopicsRequested(body) {
		return snap.TopicNames()
	}
	var names []string
	for _, t := range body.Topics {
		if t.Topic != nil && !slices.Contains(names, *t.Topic) {
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

func (h *Handler) metadataTopic(ctx context.Context, req *server.Request, snap *metadatacache.Snapshot, body *kmsg.MetadataRequest, name string) kmsg.MetadataResponseTopic {
	t := kmsg.NewMetadataResponseTopic()
	t.Topic = &name
	t.IsInternal = placement.IsInternalTopic(name)
	topic, ok := snap.Topic(name)
	if !ok {
		t.ErrorCode = h.autoCreate(ctx, req, body, name)
		return t
	}
	t.TopicID = topic.ID
	t.Partitions = metadataPartitions(snap, body.Version, req.Conn.Listener, topic)
	return t
}

// metadataTopicByID answers a topic asked for by id; an unknown id reports
// no operations, as in Kafka, which has no name to authorize.
func (h *Handler) metadataTopicByID(req *server.Request, snap *metadatacache.Snapshot, body *kmsg.MetadataRequest, id [16]byte) kmsg.MetadataResponseTopic {
	t := kmsg.NewMetadataResponseTopic()
	t.TopicID = id
	name, ok := snap.TopicName(id)
	if !ok {
		t.ErrorCode = kerr.UnknownTopicID.Code
		return t
	}
	if !h.allowed(req, opDescribe, resTopic, name) {
		return metadataTopicRefused(nil, id) // the name stays hidden
	}
	topic, _ := snap.Topic(name)
	t.Topic = &name
	t.IsInternal = placement.IsInternalTopic(name)
	t.Partitions = metadataPartitions(snap, body.Version, req.Conn.Listener, topic)
	t.AuthorizedOperations = h.authorizedOperations(req, body.IncludeTopicAuthorizedOperations, resTopic, name)
	return t
}

// autoCreate creates a missing topic when the broker and the request allow
// it (v4+ requests say whether they allow it; older ones always did), and
// returns the code to report: LEADER_NOT_AVAILABLE while leaders are being
// elected, as Kafka answers for a topic it just created.
func (h *Handler) autoCreate(ctx context.Context, req *server.Request, body *kmsg.MetadataRequest, name string) int16 {
	if err := placement.ValidateTopicName(name); err != nil {
		return kerr.InvalidTopicException.Code // whether or not creation is allowed
	}
	allowed := body.Version < 4 || body.AllowAutoTopicCreation
	if !allowed || !h.deps.Settings().AutoCreateTopics {
		return kerr.UnknownTopicOrPartition.Code
	}
	// Creating needs Create on the cluster or on the topic.
	if !h.allowedCluster(req, opCreate) && !h.allowed(req, opCreate, resTopic, name) {
		return kerr.TopicAuthorizationFailed.Code
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
		return kafkaerr.Code(err)
	}
}

func metadataPartitions(snap *metadatacache.Snapshot, version int16, listener string, topic *metadatacache.Topic) []kmsg.MetadataResponseTopicPartition {
	out := make([]kmsg.MetadataResponseTopicPartition, 0, len(topic.Partitions))
	for _, p := range topic.Partitions {
		mp := kmsg.NewMetadataResponseTopicPartition()
		mp.Partition, mp.Leader, mp.LeaderEpoch = p.Partition, p.Leader, p.LeaderEpoch
		mp.Replicas, mp.ISR, mp.OfflineReplicas = p.Replicas, p.ISR, p.Offline
		if version == 0 { // v0 errors on, and lists only, replicas reachable here
			mp.Replicas, mp.ISR = reachable(snap, p.Replicas, listener), reachable(snap, p.ISR, listener)
		}
		mp.ErrorCode = partitionMetadataError(snap, version, listener, p, mp)
		if mp.ErrorCode == kerr.LeaderNotAvailable.Code || mp.ErrorCode == kerr.ListenerNotFound.Code {
			mp.Leader = -1
		}
		out = append(out, mp)
	}
	return out
}

// partitionMetadataError is Kafka's per-partition answer: the leader must be
// live and reachable on the request's listener (LISTENER_NOT_FOUND from v6,
// LEADER_NOT_AVAILABLE before); v0 also reports replicas it left out.
func partitionMetadataError(snap *metadatacache.Snapshot, version int16, listener string, p metadatacache.Partition, mp kmsg.MetadataResponseTopicPartition) int16 {
	leader, alive := snap.Brokers[p.Leader]
	switch {
	case !alive:
		return kerr.LeaderNotAvailable.Code
	case !hasListener(leader, listener) && version >= 6:
		return kerr.ListenerNotFound.Code
	case !hasListener(leader, listener):
		return kerr.LeaderNotAvailable.Code
	case len(mp.Replicas) < len(p.Replicas) || len(mp.ISR) < len(p.ISR):
		return kerr.ReplicaNotAvailable.Code
	}
	return 0
}

func hasListener(b metadatacache.Broker, listener string) bool {
	_, ok := b.Endpoint(listener)
	return ok
}

// reachable keeps the brokers that are live with an endpoint on listener.
func reachable(snap *metadatacache.Snapshot, ids []int32, listener string) []int32 {
	out := make([]int32, 0, len(ids))
	for _, id := range ids {
		if b, ok := snap.Brokers[id]; ok && hasListener(b, listener) {
			out = append(out, id)
		}
	}
	return out
}
