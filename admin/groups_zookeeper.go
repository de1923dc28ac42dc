package admin

import (
	"context"
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"github.com/twmb/franz-go/pkg/kversion"
)

// OffsetStorageZooKeeper marks a group known only by offsets committed with
// OffsetCommit v0, which Kafka's ZooKeeper-mode brokers (and kq) keep in
// ZooKeeper at /consumers/<group>/offsets: the group coordinator has never
// heard of it.
const OffsetStorageZooKeeper = "zookeeper"

// offsetFetchKey is OffsetFetch's API key.
const offsetFetchKey = 9

// zooKeeperGroupOffsets reads a group's version-0 offsets for every
// partition of every non-internal topic with OffsetFetch v0, sent to one
// broker directly: v0 is answered by any broker from ZooKeeper, and asking
// the coordinator first (FindCoordinator) would create __consumer_offsets
// for nothing. It returns nothing when the group has none.
func (c *Client) zooKeeperGroupOffsets(ctx context.Context, group string) ([]GroupOffset, error) {
	req, err := c.offsetFetchV0Request(ctx, group)
	if err != nil || req == nil {
		return nil, err
	}
	cluster, err := c.Cluster(ctx)
	if err != nil {
		return nil, err
	}
	if len(cluster.Brokers) == 0 {
		return nil, errors.New("fetch version-0 offsets: no live broker")
	}
	v0 := kversion.Stable()
	v0.SetMaxKeyVersion(offsetFetchKey, 0)
	cl, err := kgo.NewClient(append(c.kgo.Opts(), kgo.MaxVersions(v0))...)
	if err != nil {
		return nil, fmt.Errorf("fetch version-0 offsets of group %s: %w", group, err)
	}
	defer cl.Close()
	rctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	resp, err := cl.Broker(int(cluster.Brokers[0].ID)).Request(rctx, req)
	if err != nil {
		return nil, fmt.Errorf("fetch version-0 offsets of group %s: %w", group, err)
	}
	var out []GroupOffset
	for _, t := range resp.(*kmsg.OffsetFetchResponse).Topics {
		for _, p := range t.Partitions {
			if p.ErrorCode == 0 && p.Offset >= 0 {
				out = append(out, GroupOffset{Topic: t.Topic, Partition: p.Partition, Offset: p.Offset})
			}
		}
	}
	sortGroupOffsets(out)
	return out, nil
}

// offsetFetchV0Request asks for every partition of the cluster's
// non-internal topics; nil when there are none.
func (c *Client) offsetFetchV0Request(ctx context.Context, group string) (*kmsg.OffsetFetchRequest, error) {
	topics, err := c.Topics(ctx)
	if err != nil {
		return nil, err
	}
	req := kmsg.NewPtrOffsetFetchRequest()
	req.Version, req.Group = 0, group
	for _, t := range topics {
		if t.Err != nil || t.Internal || len(t.Partitions) == 0 {
			continue
		}
		rt := kmsg.NewOffsetFetchRequestTopic()
		rt.Topic = t.Name
		for _, p := range t.Partitions {
			rt.Partitions = append(rt.Partitions, p.ID)
		}
		req.Topics = append(req.Topics, rt)
	}
	if len(req.Topics) == 0 {
		return nil, nil
	}
	return req, nil
}
