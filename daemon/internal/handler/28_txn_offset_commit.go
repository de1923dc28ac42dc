package handler

import (
	"context"
	"errors"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/group"
	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/server"
	"github.com/kqhq/kq/daemon/internal/txn"
)

// TxnOffsetCommit v0-4: a transactional producer commits a group's
// offsets inside its transaction (sendOffsetsToTransaction). Partitions the
// cluster does not have are UNKNOWN_TOPIC_OR_PARTITION, as Kafka checks its
// metadata cache; the others go to the group coordinator, which writes
// them as the producer's transactional batch and keeps them pending until
// the transaction's marker. With transaction.partition.verification.enable
// (KIP-890 part 1) the transaction coordinator first confirms that the
// group's __consumer_offsets partition is in the producer's transaction.
func (h *Handler) txnOffsetCommit(ctx context.Context, req *server.Request) (*server.Response, error) {
	body := req.Body.(*kmsg.TxnOffsetCommitRequest)
	resp := body.ResponseKind().(*kmsg.TxnOffsetCommitResponse)
	if code := h.txnGroupAuthorization(req, body.TransactionalID, body.Group); code != 0 {
		return &server.Response{Msg: txnOffsetCommitRefused(body, code)}, nil
	}
	denied := h.deniedTopics(req, opRead, txnCommitTopics(body))
	creq, slots := h.txnCommitRequest(body, resp, denied)
	if len(creq.Offsets) == 0 {
		return &server.Response{Msg: resp}, nil
	}
	out, complete := parked(ctx)
	answer := func(errs []error) {
		for i, err := range errs {
			resp.Topics[slots[i][0]].Partitions[slots[i][1]].ErrorCode = txnCommitErrorCode(err, body.Version)
		}
		complete(resp)
	}
	if err := h.deps.Groups.IsCoordinatorFor(creq.Group); err != nil || creq.Group == "" || !h.verifiesTxnCommits() {
		h.deps.Groups.CommitTxnOffsets(creq, answer)
		return out, nil
	}
	go func() {
		if err := h.verifyTxnCommit(ctx, creq, body.Version); err != nil {
			answer(repeatError(err, len(creq.Offsets)))
			return
		}
		h.deps.Groups.CommitTxnOffsets(creq, answer)
	}()
	return out, nil
}

// txnCommitRequest builds the coordinator's request from the partitions
// the cluster has, answering the others in resp; slots locate each
// offset's partition in resp.
func (h *Handler) txnCommitRequest(body *kmsg.TxnOffsetCommitRequest, resp *kmsg.TxnOffsetCommitResponse, denied map[string]bool) (group.TxnCommitRequest, [][2]int) {
	snap := h.deps.Cache.Load()
	creq := group.TxnCommitRequest{
		TransactionalID: body.TransactionalID, Group: body.Group, ProducerID: body.ProducerID, ProducerEpoch: body.ProducerEpoch,
		Generation: body.Generation, MemberID: body.MemberID, InstanceID: body.InstanceID,
	}
	var slots [][2]int
	for _, rt := range body.Topics {
		t := kmsg.NewTxnOffsetCommitResponseTopic()
		t.Topic = rt.Topic
		for _, rp := range rt.Partitions {
			p := kmsg.NewTxnOffsetCommitResponseTopicPartition()
			p.Partition = rp.Partition
			if _, ok := snap.Partition(rt.Topic, rp.Partition); denied[rt.Topic] {
				p.ErrorCode = kerr.TopicAuthorizationFailed.Code
			} else if !ok {
				p.ErrorCode = kerr.UnknownTopicOrPartition.Code
			} else {
				slots = append(slots, [2]int{len(resp.Topics), len(t.Partitions)})
				creq.Offsets = append(creq.Offsets, group.CommitOffset{
					TopicPartition: group.TopicPartition{Topic: rt.Topic, Partition: rp.Partition},
					Offset:         rp.Offset, LeaderEpoch: rp.LeaderEpoch, Metadata: rp.Metadata, Timestamp: -1,
				})
			}
			t.Partitions = append(t.Partitions, p)
		}
		resp.Topics = append(resp.Topics, t)
	}
	return creq, slots
}

func (h *Handler) verifiesTxnCommits() bool {
	return h.deps.TxnVerifier != nil && h.deps.Settings().TransactionPartitionVerificationEnable
}

// verifyTxnCommit asks the transaction coordinator whether the group's
// __consumer_offsets partition is in the producer's transaction, and
// returns the error every offset then answers (nil: go ahead).
func (h *Handler) verifyTxnCommit(ctx context.Context, creq group.TxnCommitRequest, version int16) error {
	tp := txn.TopicPartition{Topic: group.TopicName, Partition: h.deps.Groups.PartitionFor(creq.Group)}
	answers, err := h.deps.TxnVerifier.VerifyTxnPartitions(ctx, creq.TransactionalID, creq.ProducerID, creq.ProducerEpoch, []txn.TopicPartition{tp})
	if err != nil {
		return kerr.CoordinatorNotAvailable
	}
	return txnVerificationError(answers[tp], version)
}

// txnVerificationError maps the coordinator's verification answer to
// what Kafka answers a TxnOffsetCommit: a partition not in the
// transaction is INVALID_TXN_STATE before v4 (clients without
// TRANSACTION_ABORTABLE) and TRANSACTION_ABORTABLE from v4.
func txnVerificationError(err error, version int16) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, kerr.InvalidTxnState):
		return kerr.InvalidTxnState
	case errors.Is(err, kerr.TransactionAbortable) && version < 4:
		return kerr.InvalidTxnState
	}
	return err
}

// txnCommitErrorCode maps a partition's outcome as Kafka's
// maybeConvertOffsetCommitError, and answers COORDINATOR_NOT_AVAILABLE for
// COORDINATOR_LOAD_IN_PROGRESS before v2 (clients of 0.11-2.0 did not
// retry it, KAFKA-7296).
func txnCommitErrorCode(err error, version int16) int16 {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, kerr.NetworkException):
		err = kerr.CoordinatorLoadInProgress
	case errors.Is(err, kerr.UnknownTopicOrPartition), errors.Is(err, kerr.NotEnoughReplicas), errors.Is(err, kerr.NotEnoughReplicasAfterAppend):
		err = kerr.CoordinatorNotAvailable
	case errors.Is(err, kerr.NotLeaderForPartition), errors.Is(err, kerr.KafkaStorageError):
		err = kerr.NotCoordinator
	}
	if version < 2 && errors.Is(err, kerr.CoordinatorLoadInProgress) {
		return kerr.CoordinatorNotAvailable.Code
	}
	return kafkaerr.Code(err)
}

func repeatError(err error, n int) []error {
	out := make([]error, n)
	for i := range out {
		out[i] = err
	}
	return out
}
