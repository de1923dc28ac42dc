package daemon

import (
	"context"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/daemon/internal/txn"
)

// localTxns is what the verifier needs of this broker's transaction
// coordinator.
type localTxns interface {
	PartitionFor(transactionalID string) int32
	VerifyPartitions(transactionalID string, producerID int64, epoch int16, parts []txn.TopicPartition) map[txn.TopicPartition]error
}

// txnVerifier is KIP-890 part 1 on the partition leader: before a
// transactional produce is written, the coordinator of its transactional
// id is asked (AddPartitionsToTxn v4+, verify only) whether each partition
// is in the producer's ongoing transaction, so a late or zombie write can
// never open a transaction no EndTxn will close (a hanging transaction
// that would hold the last stable offset back). The coordinator is this
// broker's own (asked in process) or another broker's (asked over the
// inter-broker listener).
type txnVerifier struct {
	self    int32
	cache   *metadatacache.Cache
	txns    localTxns
	send    func(ctx context.Context, broker int32, req kmsg.Request) (kmsg.Response, error)
	timeout time.Duration
}

// VerifyTxnPartitions implements handler.TxnVerifier: the coordinator's
// own answers, which each caller maps for its API (Produce and
// TxnOffsetCommit answer them differently). No coordinator is
// COORDINATOR_NOT_AVAILABLE, an unreachable one NETWORK_EXCEPTION, for
// every partition.
func (v *txnVerifier) VerifyTxnPartitions(ctx context.Context, transactionalID string, producerID int64, epoch int16, parts []txn.TopicPartition) (map[txn.TopicPartition]error, error) {
	coordinator, err := v.coordinator(transactionalID)
	if err != nil {
		return allFailed(parts, kerr.CoordinatorNotAvailable), nil
	}
	if coordinator == v.self {
		return v.txns.VerifyPartitions(transactionalID, producerID, epoch, parts), nil
	}
	answers, err := v.askRemote(ctx, coordinator, transactionalID, producerID, epoch, parts)
	if err != nil {
		return allFailed(parts, kerr.NetworkException), nil
	}
	return answers, nil
}

// coordinator returns the leader of the transactional id's
// __transaction_state partition.
func (v *txnVerifier) coordinator(transactionalID string) (int32, error) {
	p, ok := v.cache.Load().Partition(txn.TopicName, v.txns.PartitionFor(transactionalID))
	if !ok || p.Leader < 0 {
		return -1, fmt.Errorf("no coordinator for transactional id %q", transactionalID)
	}
	return p.Leader, nil
}

func (v *txnVerifier) askRemote(ctx context.Context, broker int32, transactionalID string, producerID int64, epoch int16, parts []txn.TopicPartition) (map[txn.TopicPartition]error, error) {
	req := kmsg.NewPtrAddPartitionsToTxnRequest()
	req.Version = 4
	t := kmsg.NewAddPartitionsToTxnRequestTransaction()
	t.TransactionalID, t.ProducerID, t.ProducerEpoch, t.VerifyOnly = transactionalID, producerID, epoch, true
	for _, g := range byTopic(parts) {
		tt := kmsg.NewAddPartitionsToTxnRequestTransactionTopic()
		tt.Topic, tt.Partitions = g.topic, g.partitions
		t.Topics = append(t.Topics, tt)
	}
	req.Transactions = append(req.Transactions, t)
	rctx, cancel := context.WithTimeout(ctx, v.timeout)
	defer cancel()
	raw, err := v.send(rctx, broker, req)
	if err != nil {
		return nil, fmt.Errorf("verify transaction %q on broker %d: %w", transactionalID, broker, err)
	}
	resp, ok := raw.(*kmsg.AddPartitionsToTxnResponse)
	if !ok {
		return nil, fmt.Errorf("verify transaction %q on broker %d: response %T", transactionalID, broker, raw)
	}
	if err := kerr.ErrorForCode(resp.ErrorCode); err != nil {
		return allFailed(parts, err), nil
	}
	return remoteAnswers(resp, parts), nil
}

func remoteAnswers(resp *kmsg.AddPartitionsToTxnResponse, parts []txn.TopicPartition) map[txn.TopicPartition]error {
	out := map[txn.TopicPartition]error{}
	seen := map[txn.TopicPartition]bool{}
	for _, tr := range resp.Transactions {
		for _, t := range tr.Topics {
			for _, p := range t.Partitions {
				tp := txn.TopicPartition{Topic: t.Topic, Partition: p.Partition}
				seen[tp] = true
				out[tp] = kerr.ErrorForCode(p.ErrorCode)
			}
		}
	}
	for _, tp := range parts {
		if !seen[tp] {
			// An answer that skips a partition verified nothing for it.
			out[tp] = kerr.TransactionAbortable
		}
	}
	return out
}

func allFailed(parts []txn.TopicPartition, err error) map[txn.TopicPartition]error {
	out := make(map[txn.TopicPartition]error, len(parts))
	for _, tp := range parts {
		out[tp] = err
	}
	return out
}
