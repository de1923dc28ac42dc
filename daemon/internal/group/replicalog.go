package group

import (
	"time"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/replica"
)

// ReplicaLog is the coordinator's Log over this broker's replicas: the
// same leader path produce takes, with acks=all semantics.
type ReplicaLog struct {
	Replicas *replica.Manager
	// Topic is the internal topic served: __consumer_offsets when empty
	// (the transaction coordinator uses the same log over
	// __transaction_state).
	Topic string
	// MinInsync returns min.insync.replicas of __consumer_offsets.
	MinInsync func() int
	// Timeout bounds the wait for the in-sync replicas
	// (offsets.commit.timeout.ms); then REQUEST_TIMED_OUT.
	Timeout time.Duration
	// Stop ends pending waits (with NOT_COORDINATOR) at shutdown.
	Stop <-chan struct{}
}

func (l ReplicaLog) topic() string {
	if l.Topic == "" {
		return TopicName
	}
	return l.Topic
}

// Append implements Log.
func (l ReplicaLog) Append(partition, epoch int32, batch []byte, done func(error)) (int64, error) {
	p, err := l.Replicas.Leader(l.topic(), partition, epoch)
	if err != nil {
		return -1, replicaError(err)
	}
	minInsync := l.MinInsync()
	info, err := p.AppendAsCoordinator(batch, minInsync)
	if err != nil {
		return -1, replicaError(err)
	}
	go func() { done(l.await(p, info.LastOffset+1, minInsync)) }()
	return info.FirstOffset, nil
}

// await waits until every offset below end is committed.
func (l ReplicaLog) await(p *replica.Partition, end int64, minInsync int) error {
	timer := time.NewTimer(l.Timeout)
	defer timer.Stop()
	for {
		done, wake, err := p.Replicated(end, minInsync)
		if done {
			return replicaError(err)
		}
		select {
		case <-wake:
		case <-timer.C:
			return kerr.RequestTimedOut
		case <-l.Stop:
			return kerr.NotCoordinator
		}
	}
}

// Read implements Log.
func (l ReplicaLog) Read(partition int32, offset int64, maxBytes int32) ([]byte, error) {
	p, ok := l.Replicas.Get(l.topic(), partition)
	if !ok {
		return nil, kerr.NotLeaderForPartition
	}
	res, err := p.ReadToLogEnd(offset, maxBytes)
	if err != nil {
		return nil, err
	}
	return res.Bytes()
}

// Bounds implements Log.
func (l ReplicaLog) Bounds(partition int32) (int64, int64, error) {
	p, ok := l.Replicas.Get(l.topic(), partition)
	if !ok {
		return 0, 0, kerr.NotLeaderForPartition
	}
	logStart, _, logEnd := p.Offsets()
	return logStart, logEnd, nil
}

// replicaError is the Kafka error of a failed append or wait, which each
// coordinator then maps to what its clients hear (NOT_LEADER_OR_FOLLOWER
// becomes NOT_COORDINATOR, and so on). Unlike a client's request, the
// append names the leader epoch the coordinator loaded the partition at:
// a fenced or unknown epoch means this broker no longer coordinates the
// partition as loaded, so it is NOT_LEADER_OR_FOLLOWER, as Kafka's
// coordinators hear when they lost the partition.
func replicaError(err error) error {
	switch ke := kafkaerr.Of(err); ke {
	case nil:
		return nil
	case kerr.FencedLeaderEpoch, kerr.UnknownLeaderEpoch:
		return kerr.NotLeaderForPartition
	default:
		return ke
	}
}
