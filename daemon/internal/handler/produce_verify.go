package handler

import (
	"context"
	"errors"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/txn"
	"github.com/kqhq/kq/store/recordbatch"
)

// KIP-890 part 1 (transaction.partition.verification.enable): before a
// transactional produce opens a transaction in a partition, the broker asks
// the transaction coordinator whether the producer added that partition to
// its transaction, so a late or stray write can never open a transaction
// nobody will end. A partition where the producer's transaction is already
// open needs no question (Kafka's hasOngoingTransaction). The question is
// asked once per request, synchronously: appends must stay in request order
// (idempotent sequences depend on it), and it is only asked at the first
// write of each transaction to each partition.

// txnVerification is the outcome for a produce request: the partitions the
// coordinator refused, with their codes, or a code for the whole request.
type txnVerification struct {
	refused     map[partitionKey]int16
	requestCode int16
}

func (h *Handler) verifyTxnProduce(ctx context.Context, body *kmsg.ProduceRequest) txnVerification {
	if body.TransactionID == nil || h.deps.TxnVerifier == nil || !h.deps.Settings().TransactionPartitionVerificationEnable {
		return txnVerification{}
	}
	pid, epoch, parts, mixed := h.partitionsToVerify(body)
	if mixed {
		// Kafka refuses transactional records of two producers in one request.
		return txnVerification{requestCode: kerr.InvalidProducerIDMapping.Code}
	}
	if len(parts) == 0 {
		return txnVerification{}
	}
	answers, err := h.deps.TxnVerifier.VerifyTxnPartitions(ctx, *body.TransactionID, pid, epoch, parts)
	v := txnVerification{refused: map[partitionKey]int16{}}
	for _, tp := range parts {
		e := err
		if e == nil {
			e = answers[tp]
		}
		if e != nil {
			v.refused[partitionKey{tp.Topic, tp.Partition}] = verificationCode(e, err != nil)
		}
	}
	return v
}

// partitionsToVerify returns the partitions of the request holding
// transactional batches whose producer has no transaction open there, and
// that producer; mixed reports transactional batches of several producers.
func (h *Handler) partitionsToVerify(body *kmsg.ProduceRequest) (pid int64, epoch int16, parts []txn.TopicPartition, mixed bool) {
	pid = -1
	for _, rt := range body.Topics {
		for _, rp := range rt.Partitions {
			id, ep, ok := transactionalProducer(rp.Records)
			if !ok {
				continue
			}
			if pid >= 0 && (id != pid || ep != epoch) {
				return 0, 0, nil, true
			}
			pid, epoch = id, ep
			part, err := h.deps.Replicas.Leader(rt.Topic, rp.Partition, -1)
			if err != nil || part.HasOngoingTransaction(id) {
				continue // the append answers a partition led elsewhere
			}
			parts = append(parts, txn.TopicPartition{Topic: rt.Topic, Partition: rp.Partition})
		}
	}
	return pid, epoch, parts, false
}

// transactionalProducer reads the producer of the first batch of records
// when it is a transactional (magic 2) one. A producer sends one batch per
// partition; the log validates the rest.
func transactionalProducer(records []byte) (pid int64, epoch int16, ok bool) {
	h := recordbatch.Header(records)
	if len(h) < recordbatch.HeaderSize || h.Magic() != recordbatch.Magic {
		return 0, 0, false
	}
	if !h.Transactional() || h.Control() || h.ProducerID() < 0 {
		return 0, 0, false
	}
	return h.ProducerID(), h.ProducerEpoch(), true
}

// verificationCode is the produce error for a refused verification, as
// Kafka's partition leader translates the coordinator's answer: a
// partition not in the transaction (TRANSACTION_ABORTABLE) is
// INVALID_TXN_STATE, a fenced producer INVALID_PRODUCER_EPOCH, and
// retriable coordinator troubles NOT_ENOUGH_REPLICAS, which every client
// retries without a metadata refresh. whole marks a failure of the call
// itself.
func verificationCode(err error, whole bool) int16 {
	code := kerr.CoordinatorNotAvailable.Code
	var ke *kerr.Error
	if errors.As(err, &ke) {
		code = ke.Code
	} else if !whole {
		code = kafkaerr.Code(err)
	}
	switch code {
	case kerr.TransactionAbortable.Code:
		return kerr.InvalidTxnState.Code
	case kerr.ProducerFenced.Code:
		return kerr.InvalidProducerEpoch.Code
	case kerr.ConcurrentTransactions.Code, kerr.NetworkException.Code, kerr.CoordinatorLoadInProgress.Code,
		kerr.CoordinatorNotAvailable.Code, kerr.NotCoordinator.Code:
		return kerr.NotEnoughReplicas.Code
	}
	return code
}
