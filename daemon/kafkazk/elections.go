package kafkazk

import (
	"context"
	"fmt"
	"strconv"

	"github.com/kqhq/kq/daemon/internal/controller"
	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/znode"
)

var preferredElectionPath = znode.PreferredReplicaElectionPath

// BrokerEpoch returns the broker epoch of a registered broker: the czxid
// of its /brokers/ids/<id>, as Kafka defines it. Each registration creates
// the znode anew, so a restarted broker has a larger epoch than its former
// self. A broker that is not registered wraps meta.ErrNoNode.
func (c *Client) BrokerEpoch(ctx context.Context, id int32) (int64, error) {
	path := brokerPath(id)
	stat, ok, err := c.store.Exists(ctx, path)
	if err != nil {
		return -1, fmt.Errorf("read %s: %w", path, err)
	}
	if !ok {
		return -1, fmt.Errorf("read %s: %w", path, meta.ErrNoNode)
	}
	return stat.Czxid, nil
}

// Broker reads one broker's registration (its endpoints and rack).
func (c *Client) Broker(ctx context.Context, id int32) (metadatacache.Broker, error) {
	b, err := c.broker(ctx, strconv.Itoa(int(id)))
	if err != nil {
		return b, fmt.Errorf("broker %d: %w", id, err)
	}
	return b, nil
}

// PreferredReplicaElection reads /admin/preferred_replica_election, the
// request kafka-preferred-replica-election.sh used to write, and watches
// it: the channel is closed when the node is created, changed or deleted.
// ok is false when there is no request. A request that cannot be decoded
// is returned with an error wrapping znode.ErrMalformed (and ok true), so
// the caller can drop it.
func (c *Client) PreferredReplicaElection(ctx context.Context) ([]controller.TopicPartition, bool, <-chan struct{}, error) {
	for {
		data, _, ch, err := c.store.GetW(ctx, preferredElectionPath)
		if isNoNode(err) {
			_, exists, ech, eerr := c.store.ExistsW(ctx, preferredElectionPath)
			if eerr != nil {
				return nil, false, nil, fmt.Errorf("watch %s: %w", preferredElectionPath, eerr)
			}
			if exists { // created between the two reads: read it
				continue
			}
			return nil, false, fired(ech), nil
		}
		if err != nil {
			return nil, false, nil, fmt.Errorf("read %s: %w", preferredElectionPath, err)
		}
		parts, err := znode.DecodePreferredReplicaElection(preferredElectionPath, data)
		return toTopicPartitions(parts), true, fired(ch), err
	}
}

func toTopicPartitions(parts []znode.TopicPartition) []controller.TopicPartition {
	out := make([]controller.TopicPartition, 0, len(parts))
	for _, p := range parts {
		out = append(out, controller.TopicPartition{Topic: p.Topic, Partition: p.Partition})
	}
	return out
}

// DeletePreferredReplicaElection removes a processed request; like every
// controller write it is fenced by the controller epoch.
func (c *Client) DeletePreferredReplicaElection(ctx context.Context) error {
	_, err := c.fenced(ctx, meta.DeleteOp{Path: preferredElectionPath, Version: meta.AnyVersion})
	if err != nil && !isNoNode(err) {
		return fmt.Errorf("delete %s: %w", preferredElectionPath, err)
	}
	return nil
}

// RequestPreferredReplicaElection writes /admin/preferred_replica_election
// as kafka-preferred-replica-election.sh did; it fails with
// meta.ErrNodeExists while an earlier request is pending.
func (c *Client) RequestPreferredReplicaElection(ctx context.Context, parts []controller.TopicPartition) error {
	zparts := make([]znode.TopicPartition, 0, len(parts))
	for _, p := range parts {
		zparts = append(zparts, znode.TopicPartition{Topic: p.Topic, Partition: p.Partition})
	}
	data := znode.EncodePreferredReplicaElection(zparts)
	if _, err := meta.CreateRecursive(ctx, c.store, preferredElectionPath, data, meta.Persistent); err != nil {
		return fmt.Errorf("create %s: %w", preferredElectionPath, err)
	}
	return nil
}
