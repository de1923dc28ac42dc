package group

import (
	"errors"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/daemon/internal/coordlog"
)

// write appends records to the shard's partition. done runs under the
// lock once they are committed, with the log offset of the batch, or with
// the error a client should hear; after the shard was unloaded it gets
// NOT_COORDINATOR.
func (s *shard) write(recs []record, done func(logOffset int64, err error)) {
	s.writeAs(recs, coordlog.NoProducer, done)
}

// writeAs is write for a producer (a transactional offset commit is the
// producer's transactional batch); it returns the batch's base offset, or
// -1 when the append failed at once (done then already ran).
func (s *shard) writeAs(recs []record, p coordlog.Producer, done func(logOffset int64, err error)) int64 {
	batch := encodeProducerBatch(recs, s.c.now().UnixMilli(), p)
	inc := s.incarnation
	var off int64
	off, err := s.c.log.Append(s.partition, s.epoch, batch, func(err error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.incarnation != inc {
			done(off, kerr.NotCoordinator)
			return
		}
		done(off, err)
	})
	if err != nil {
		done(-1, err)
		return -1
	}
	return off
}

// storeGroup writes the group's metadata; done runs only while the group
// is still served (when it is not, its members were already answered).
func (s *shard) storeGroup(g *group, done func(error)) {
	s.write([]record{{key: groupKey(g.id), value: groupValue(g)}}, func(_ int64, err error) {
		if s.groups[g.id] != g {
			return
		}
		done(groupWriteError(err))
	})
}

// offsetWriteError maps a failed offset commit write to what Kafka answers.
func offsetWriteError(err error) error {
	switch {
	case err == nil:
		return nil
	case isAny(err, kerr.MessageTooLarge, kerr.RecordListTooLarge, kerr.InvalidFetchSize):
		return kerr.InvalidCommitOffsetSize
	}
	return commonWriteError(err)
}

// groupWriteError maps a failed group metadata write to what Kafka
// answers the SyncGroup or JoinGroup waiting on it.
func groupWriteError(err error) error {
	switch {
	case err == nil:
		return nil
	case isAny(err, kerr.RequestTimedOut):
		return kerr.RebalanceInProgress
	case isAny(err, kerr.MessageTooLarge, kerr.RecordListTooLarge, kerr.InvalidFetchSize):
		return kerr.UnknownServerError
	}
	return commonWriteError(err)
}

func commonWriteError(err error) error {
	switch {
	case isAny(err, kerr.UnknownTopicOrPartition, kerr.NotEnoughReplicas, kerr.NotEnoughReplicasAfterAppend):
		return kerr.CoordinatorNotAvailable
	case isAny(err, kerr.NotLeaderForPartition, kerr.KafkaStorageError, kerr.FencedLeaderEpoch, kerr.NotCoordinator):
		return kerr.NotCoordinator
	}
	var ke *kerr.Error
	if errors.As(err, &ke) {
		return ke
	}
	return kerr.UnknownServerError
}

func isAny(err error, targets ...*kerr.Error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}
