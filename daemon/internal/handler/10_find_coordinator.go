package handler

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/group"
	"github.com/kqhq/kq/daemon/internal/server"
	"github.com/kqhq/kq/daemon/placement"
)

// Coordinator key types of FindCoordinator.
const (
	coordinatorGroup       int8 = 0
	coordinatorTransaction int8 = 1
)

// FindCoordinator v0-6 (batched from v4). A group's coordinator is the
// leader of its __consumer_offsets partition; the topic is created the
// first time it is needed, and meanwhile (or while the partition has no
// leader) the answer is COORDINATOR_NOT_AVAILABLE so the client retries,
// as Kafka answers. Transactions are not served yet: their coordinator is
// never available.
func (h *Handler) findCoordinator(ctx context.Context, req *server.Request, body *kmsg.FindCoordinatorRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.FindCoordinatorResponse)
	if body.Version < 4 {
		c := h.coordinatorFor(ctx, req.Conn.Listener, body.CoordinatorType, body.CoordinatorKey)
		resp.NodeID, resp.Host, resp.Port, resp.ErrorCode = c.NodeID, c.Host, c.Port, c.ErrorCode
		if body.Version >= 1 {
			resp.ErrorMessage = c.ErrorMessage
		}
		return resp, nil
	}
	for _, key := range body.CoordinatorKeys {
		resp.Coordinators = append(resp.Coordinators, h.coordinatorFor(ctx, req.Conn.Listener, body.CoordinatorType, key))
	}
	return resp, nil
}

func (h *Handler) coordinatorFor(ctx context.Context, listener string, keyType int8, key string) kmsg.FindCoordinatorResponseCoordinator {
	c := kmsg.NewFindCoordinatorResponseCoordinator()
	c.Key, c.NodeID, c.Port = key, -1, -1
	fail := func(code *kerr.Error) kmsg.FindCoordinatorResponseCoordinator {
		c.ErrorCode = code.Code
		msg := code.Description
		c.ErrorMessage = &msg
		return c
	}
	switch keyType {
	case coordinatorGroup:
	case coordinatorTransaction:
		return fail(kerr.CoordinatorNotAvailable)
	default:
		return fail(kerr.InvalidRequest)
	}
	snap := h.deps.Cache.Load()
	if _, ok := snap.Topic(group.TopicName); !ok {
		if err := h.createOffsetsTopic(ctx); err != nil {
			h.log.Warn("cannot create __consumer_offsets yet", "err", err)
			return fail(kerr.CoordinatorNotAvailable)
		}
		snap = h.deps.Cache.Load()
	}
	p, ok := snap.Partition(group.TopicName, h.deps.Groups.PartitionFor(key))
	if !ok || p.Leader < 0 {
		return fail(kerr.CoordinatorNotAvailable)
	}
	b, ok := snap.Brokers[p.Leader]
	if !ok {
		return fail(kerr.CoordinatorNotAvailable)
	}
	ep, ok := b.Endpoint(listener)
	if !ok {
		return fail(kerr.CoordinatorNotAvailable)
	}
	c.NodeID, c.Host, c.Port = b.ID, ep.Host, ep.Port
	return c
}

// offsetsTopic serializes the creation of __consumer_offsets, which many
// FindCoordinator requests may ask for at once.
type offsetsTopic struct{ mu sync.Mutex }

// createOffsetsTopic creates __consumer_offsets through the same admin
// path as CreateTopics: offsets.topic.num.partitions partitions, placed
// over the live brokers with min(offsets.topic.replication.factor, live
// brokers) replicas, compacted. (Kafka 3.9 instead refuses until enough
// brokers are live; kq lets a single broker serve groups by default.)
func (h *Handler) createOffsetsTopic(ctx context.Context) error {
	h.offsets.mu.Lock()
	defer h.offsets.mu.Unlock()
	snap := h.deps.Cache.Load()
	if _, ok := snap.Topic(group.TopicName); ok {
		return nil
	}
	settings := h.deps.Settings()
	brokers := liveBrokers(snap)
	rf := min(int(settings.OffsetsTopicReplicationFactor), len(brokers))
	assignment, err := placement.Assign(placement.Request{
		Brokers: brokers, Partitions: h.deps.Groups.Partitions(), ReplicationFactor: int16(rf), StartIndex: -1,
	})
	if err != nil {
		return err
	}
	spec := TopicSpec{Name: group.TopicName, Assignment: assignment, Configs: map[string]string{
		"cleanup.policy":   "compact",
		"compression.type": "producer",
		"segment.bytes":    strconv.FormatInt(settings.OffsetsTopicSegmentBytes, 10),
	}}
	if _, err := h.deps.Admin.CreateTopic(ctx, spec); err != nil && !errors.Is(err, kerr.TopicAlreadyExists) {
		return err
	}
	h.log.Info("created __consumer_offsets", "partitions", len(assignment), "replication.factor", rf)
	// Wait (briefly) for the controller's leaders, so this request can
	// already name the coordinator.
	h.waitMetadata(ctx, offsetsTopicWait, topicReady(group.TopicName, int32(len(assignment))))
	return nil
}

// offsetsTopicWait bounds how long the FindCoordinator that created
// __consumer_offsets waits for its leaders before answering.
const offsetsTopicWait = 5 * time.Second
