package daemon

import (
	"context"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/group"
	"github.com/kqhq/kq/daemon/internal/txn"
	"github.com/kqhq/kq/daemon/kafkazk"
)

// Transaction coordination (daemon/internal/txn) is wired here: its log is
// this broker's leader replicas of __transaction_state (acks=all, like the
// group coordinator's), its markers go to partition leaders through a
// sender that follows the live brokers of the metadata cache, and the
// produce path verifies transactional writes with it (KIP-890 part 1).

// markerRequestTimeout bounds one WriteTxnMarkers round trip; a leader
// that does not answer in time is asked again, possibly a new one.
const markerRequestTimeout = 30 * time.Second

// startTxns builds the transaction coordinator. It serves no
// transactional id until the controller makes this broker leader of a
// __transaction_state partition (onLeadership).
func (d *Daemon) startTxns(producerIDs *kafkazk.ProducerIDs) {
	ctx, cancel := context.WithCancel(context.Background())
	d.stopTxns = cancel
	// The handler is set once built (d.txnSender.local): requests to this
	// broker itself are handled in process.
	d.txnSender = newSender(d.cfg.BrokerID, d.cfg.InterBrokerListenerName, "kq-txn-coordinator", d.interBrokerOpts(), nil, d.log)
	c := d.cfg.TransactionCoordinator
	d.txnMarkers = &markerWriter{
		cache: d.cache, send: d.sendTxn, log: d.log.With("component", "txn-markers"),
		requestTimeout: markerRequestTimeout, backoff: 100 * time.Millisecond, maxBackoff: 2 * time.Second, wg: &d.wg,
	}
	d.txns = txn.New(txn.Options{
		Config: txn.Config{
			Partitions:            c.TransactionStateLogNumPartitions,
			MaxTimeout:            millis(c.TransactionMaxTimeoutMs),
			AbortTimedOutInterval: millis(c.TransactionAbortTimedOutTransactionCleanupIntervalMs),
			RemoveExpiredInterval: millis(c.TransactionRemoveExpiredTransactionCleanupIntervalMs),
			IDExpiration:          millis(c.TransactionalIDExpirationMs),
			LoadBufferBytes:       int32(min(c.TransactionStateLogLoadBufferSize, 1<<30)),
		},
		Log: group.ReplicaLog{
			Replicas:  d.replica,
			Topic:     txn.TopicName,
			MinInsync: func() int { return d.configs.MinInsyncReplicas(txn.TopicName) },
			Timeout:   millis(d.cfg.GroupCoordinator.OffsetsCommitTimeoutMs),
			Stop:      ctx.Done(),
		},
		Markers:     d.txnMarkers,
		ProducerIDs: producerIDs,
		Logger:      d.log.With("component", "txn-coordinator"),
	})
	d.txns.Start()
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		d.txnSender.followBrokers(ctx, d.cache)
	}()
}

// sendTxn sends a coordinator's request (markers, verification) to a
// broker: in process to this one.
func (d *Daemon) sendTxn(ctx context.Context, broker int32, req kmsg.Request) (kmsg.Response, error) {
	return d.txnSender.Send(ctx, broker, req)
}

// txnVerifier is the produce path's check against the coordinator.
func (d *Daemon) newTxnVerifier() *txnVerifier {
	return &txnVerifier{self: d.cfg.BrokerID, cache: d.cache, txns: d.txns, send: d.sendTxn, timeout: markerRequestTimeout}
}

// closeTxns stops timers, marker jobs and the coordinator's sender.
func (d *Daemon) closeTxns() {
	if d.txns == nil {
		return
	}
	d.stopTxns()
	d.txns.Close()
	d.txnSender.close()
}

// onTxnLeadership: leading a __transaction_state partition makes this
// broker the coordinator of its transactional ids; the partition's leader
// epoch is the coordinator epoch its markers carry.
func (d *Daemon) onTxnLeadership(partition int32, leader bool, epoch int32) {
	if d.txns == nil {
		return
	}
	if leader {
		d.txns.BecameLeader(partition, epoch)
	} else {
		d.txns.BecameFollower(partition)
	}
}
