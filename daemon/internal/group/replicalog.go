package group

import (
	"errors"
	"math"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/store/partitionlog"
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
	res, err := p.Log().Read(offset, maxBytes, math.MaxInt64, true)
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
	return p.Log().LogStartOffset(), p.Log().LogEndOffset(), nil
}

// replicaError turns the replica manager's and the log's errors into the
// Kafka errors the coordinator maps for clients.
func replicaError(err error) error {
	if err == nil {
		return nil
	}
	for _, m := range []struct {
		err  error
		code *kerr.Error
	}{
		{replica.ErrUnknownTopicOrPartition, kerr.UnknownTopicOrPartition},
		{replica.ErrNotLeaderOrFollower, kerr.NotLeaderForPartition},
		{replica.ErrFencedLeaderEpoch, kerr.NotLeaderForPartition},
		{replica.ErrUnknownLeaderEpoch, kerr.NotLeaderForPartition},
		{replica.ErrNotEnoughReplicas, kerr.NotEnoughReplicas},
		{replica.ErrNotEnoughReplicasAfterAppend, kerr.NotEnoughReplicasAfterAppend},
		{partitionlog.ErrMessageTooLarge, kerr.MessageTooLarge},
		{partitionlog.ErrRecordListTooLarge, kerr.RecordListTooLarge},
		{partitionlog.ErrClosed, kerr.NotLeaderForPartition},
		{partitionlog.ErrLogDirOffline, kerr.KafkaStorageError},
		// A transactional offset commit of a fenced producer epoch.
		{partitionlog.ErrInvalidProducerEpoch, kerr.InvalidProducerEpoch},
		{partitionlog.ErrInvalidTxnState, kerr.InvalidTxnState},
	} {
		if errors.Is(err, m.err) {
			return m.code
		}
	}
	var ke *kerr.Error
	if errors.As(err, &ke) {
		return ke
	}
	return kerr.KafkaStorageError
}
