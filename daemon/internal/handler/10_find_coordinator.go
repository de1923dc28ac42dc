package handler

import (
	"context"
	"errors"
	"maps"
	"strconv"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/group"
	"github.com/kqhq/kq/daemon/internal/server"
	"github.com/kqhq/kq/daemon/internal/txn"
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
// as Kafka answers. A transactional id's coordinator is likewise the
// leader of its __transaction_state partition.
func (h *Handler) findCoordinator(ctx context.Context, req *server.Request, body *kmsg.FindCoordinatorRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.FindCoordinatorResponse)
	if body.Version < 4 {
		c := h.authorizedCoordinatorFor(ctx, req, body.CoordinatorType, body.CoordinatorKey)
		resp.NodeID, resp.Host, resp.Port, resp.ErrorCode = c.NodeID, c.Host, c.Port, c.ErrorCode
		if body.Version >= 1 {
			resp.ErrorMessage = c.ErrorMessage
		}
		return resp, nil
	}
	for _, key := range body.CoordinatorKeys {
		resp.Coordinators = append(resp.Coordinators, h.authorizedCoordinatorFor(ctx, req, body.CoordinatorType, key))
	}
	return resp, nil
}

// authorizedCoordinatorFor answers for one key if the principal may
// Describe it: the group (GROUP_AUTHORIZATION_FAILED) or the
// transactional id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED).
func (h *Handler) authorizedCoordinatorFor(ctx context.Context, req *server.Request, keyType int8, key string) kmsg.FindCoordinatorResponseCoordinator {
	var denied *kerr.Error
	switch {
	case keyType == coordinatorGroup && !h.allowed(req, opDescribe, resGroup, key):
		denied = kerr.GroupAuthorizationFailed
	case keyType == coordinatorTransaction && !h.allowed(req, opDescribe, resTxnID, key):
		denied = kerr.TransactionalIDAuthorizationFailed
	default:
		return h.coordinatorFor(ctx, req.Conn.Listener, keyType, key)
	}
	c := kmsg.NewFindCoordinatorResponseCoordinator()
	c.Key, c.NodeID, c.Port, c.ErrorCode = key, -1, -1, denied.Code
	c.ErrorMessage = &denied.Description
	return c
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
	var topic internalTopic
	var partition int32
	switch {
	case keyType == coordinatorGroup:
		topic, partition = h.offsetsTopicSpec(), h.deps.Groups.PartitionFor(key)
	case keyType == coordinatorTransaction && h.deps.Txns != nil:
		topic, partition = h.txnTopicSpec(), h.deps.Txns.PartitionFor(key)
	case keyType == coordinatorTransaction:
		return fail(kerr.CoordinatorNotAvailable)
	default:
		return fail(kerr.InvalidRequest)
	}
	snap := h.deps.Cache.Load()
	if _, ok := snap.Topic(topic.name); !ok {
		if err := h.createInternalTopic(ctx, topic); err != nil {
			h.log.Warn("cannot create internal topic yet", "topic", topic.name, "err", err)
			return fail(kerr.CoordinatorNotAvailable)
		}
		snap = h.deps.Cache.Load()
	}
	p, ok := snap.Partition(topic.name, partition)
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

// offsetsTopic serializes the creation of the internal topics
// (__consumer_offsets, __transaction_state), which many FindCoordinator
// requests may ask for at once.
type offsetsTopic struct{ mu sync.Mutex }

// internalTopic is how FindCoordinator creates a coordinator's topic.
type internalTopic struct {
	name              string
	partitions        int32
	replicationFactor int16
	// minInsync, when above 0, becomes the topic's min.insync.replicas,
	// capped at the replication factor it gets.
	minInsync int32
	configs   map[string]string
}

func (h *Handler) offsetsTopicSpec() internalTopic {
	settings := h.deps.Settings()
	return internalTopic{
		name: group.TopicName, partitions: h.deps.Groups.Partitions(), replicationFactor: settings.OffsetsTopicReplicationFactor,
		configs: map[string]string{
			"cleanup.policy":   "compact",
			"compression.type": "producer",
			"segment.bytes":    strconv.FormatInt(settings.OffsetsTopicSegmentBytes, 10),
		},
	}
}

// txnTopicSpec is __transaction_state as Kafka creates it: compacted,
// uncompressed, no unclean leader election, min.insync.replicas from
// transaction.state.log.min.isr (capped at the replication factor, since
// kq creates the topic with fewer replicas when fewer brokers are live).
func (h *Handler) txnTopicSpec() internalTopic {
	settings := h.deps.Settings()
	return internalTopic{
		name: txn.TopicName, partitions: h.deps.Txns.Partitions(), replicationFactor: settings.TransactionStateLogReplicationFactor,
		minInsync: settings.TransactionStateLogMinISR,
		configs: map[string]string{
			"cleanup.policy":                 "compact",
			"compression.type":               "uncompressed",
			"unclean.leader.election.enable": "false",
			"segment.bytes":                  strconv.FormatInt(settings.TransactionStateLogSegmentBytes, 10),
		},
	}
}

// createInternalTopic creates a coordinator's topic through the same admin
// path as CreateTopics, placed over the live brokers with min(configured
// replication factor, live brokers) replicas. (Kafka 3.9 instead refuses
// until enough brokers are live; kq lets a single broker serve by
// default.)
func (h *Handler) createInternalTopic(ctx context.Context, t internalTopic) error {
	h.offsets.mu.Lock()
	defer h.offsets.mu.Unlock()
	snap := h.deps.Cache.Load()
	if _, ok := snap.Topic(t.name); ok {
		return nil
	}
	brokers := liveBrokers(snap)
	rf := min(int(t.replicationFactor), len(brokers))
	assignment, err := placement.Assign(placement.Request{
		Brokers: brokers, Partitions: t.partitions, ReplicationFactor: int16(rf), StartIndex: -1,
	})
	if err != nil {
		return err
	}
	configs := maps.Clone(t.configs)
	if t.minInsync > 0 {
		configs["min.insync.replicas"] = strconv.Itoa(min(int(t.minInsync), rf))
	}
	spec := TopicSpec{Name: t.name, Assignment: assignment, Configs: configs}
	if _, err := h.deps.Admin.CreateTopic(ctx, spec); err != nil && !errors.Is(err, kerr.TopicAlreadyExists) {
		return err
	}
	h.log.Info("created internal topic", "topic", t.name, "partitions", len(assignment), "replication.factor", rf)
	// Wait (briefly) for the controller's leaders, so this request can
	// already name the coordinator.
	h.waitMetadata(ctx, offsetsTopicWait, topicReady(t.name, int32(len(assignment))))
	return nil
}

// offsetsTopicWait bounds how long the FindCoordinator that created an
// internal topic waits for its leaders before answering.
const offsetsTopicWait = 5 * time.Second
