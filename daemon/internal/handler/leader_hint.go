package handler

import (
	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/daemon/internal/metadatacache"
)

// leaderHint is KIP-951's help with NOT_LEADER_OR_FOLLOWER (Produce v10+,
// Fetch v16+): the partition's leader and epoch as this broker's cache knows
// them, and the leader's endpoint on the request's listener, so the client
// retries at the right broker without a Metadata round trip first.
type leaderHint struct {
	id, epoch int32
	node      *metadatacache.Broker // nil: not live, or not on this listener
	endpoint  metadatacache.Endpoint
}

func currentLeader(snap *metadatacache.Snapshot, topic string, partition int32, listener string) leaderHint {
	p, ok := snap.Partition(topic, partition)
	if !ok {
		return leaderHint{id: -1, epoch: -1}
	}
	h := leaderHint{id: p.Leader, epoch: p.LeaderEpoch}
	if b, ok := snap.Brokers[p.Leader]; ok {
		if ep, ok := b.Endpoint(listener); ok {
			h.node, h.endpoint = &b, ep
		}
	}
	return h
}

// wantsLeaderHint reports whether an error code is one Kafka attaches the
// current leader to.
func wantsLeaderHint(code int16) bool {
	return code == kerr.NotLeaderForPartition.Code || code == kerr.FencedLeaderEpoch.Code
}

// leaderNodes collects the distinct leader endpoints of hints, in order.
type leaderNodes struct {
	seen  map[int32]bool
	hints []leaderHint
}

func (n *leaderNodes) add(h leaderHint) {
	if h.node == nil || n.seen[h.id] {
		return
	}
	if n.seen == nil {
		n.seen = map[int32]bool{}
	}
	n.seen[h.id] = true
	n.hints = append(n.hints, h)
}
