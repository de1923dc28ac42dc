package handler

import (
	"context"
	"sync"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/daemon/internal/server"
	"github.com/kqhq/kq/daemon/internal/txn"
)

// AddPartitionsToTxn v0-5. v0-3 come from producers: one transaction
// whose partitions join it (the answer waits for the write to
// __transaction_state). v4-5 come from brokers and batch transactions; a
// transaction marked VerifyOnly is only checked (KIP-890 part 1: is each
// partition already in the ongoing transaction?). Partitions the cluster
// does not have fail their transaction: UNKNOWN_TOPIC_OR_PARTITION for
// them, OPERATION_NOT_ATTEMPTED for the others, as Kafka answers.
// Versions before 2 get INVALID_PRODUCER_EPOCH where newer ones get
// PRODUCER_FENCED.
func (h *Handler) addPartitionsToTxn(ctx context.Context, req *server.Request) (*server.Response, error) {
	body := req.Body.(*kmsg.AddPartitionsToTxnRequest)
	resp := body.ResponseKind().(*kmsg.AddPartitionsToTxnResponse)
	txns := body.Transactions
	if body.Version < 4 {
		t := kmsg.NewAddPartitionsToTxnRequestTransaction()
		t.TransactionalID, t.ProducerID, t.ProducerEpoch = body.TransactionalID, body.ProducerID, body.ProducerEpoch
		for _, rt := range body.Topics {
			t.Topics = append(t.Topics, kmsg.AddPartitionsToTxnRequestTransactionTopic{Topic: rt.Topic, Partitions: rt.Partitions})
		}
		txns = []kmsg.AddPartitionsToTxnRequestTransaction{t}
	}
	if len(txns) == 0 {
		return &server.Response{Msg: resp}, nil
	}
	if body.Version >= 4 && !h.allowedCluster(req, opClusterAction) {
		resp.ErrorCode = clusterDenied // v4+ batches come from brokers
		return &server.Response{Msg: resp}, nil
	}
	results := make([]kmsg.AddPartitionsToTxnResponseTransaction, len(txns))
	out, complete := parked(ctx)
	var mu sync.Mutex
	left := len(txns)
	finish := func(i int, r kmsg.AddPartitionsToTxnResponseTransaction) {
		mu.Lock()
		defer mu.Unlock()
		results[i] = r
		if left--; left == 0 {
			complete(addPartitionsResponse(resp, results))
		}
	}
	snap := h.deps.Cache.Load()
	for i, t := range txns {
		h.addTxnPartitions(req, snap, body.Version, t, func(r kmsg.AddPartitionsToTxnResponseTransaction) { finish(i, r) })
	}
	return out, nil
}

// addTxnPartitions answers one transaction of the request.
func (h *Handler) addTxnPartitions(req *server.Request, snap *metadatacache.Snapshot, version int16, t kmsg.AddPartitionsToTxnRequestTransaction,
	done func(kmsg.AddPartitionsToTxnResponseTransaction)) {
	parts := txnRequestPartitions(t.Topics)
	unknown := map[txn.TopicPartition]bool{}
	for _, tp := range parts {
		if _, ok := snap.Partition(tp.Topic, tp.Partition); !ok {
			unknown[tp] = true
		}
	}
	each := func(code func(tp txn.TopicPartition) int16) {
		done(txnPartitionResults(t.TransactionalID, parts, code))
	}
	txnDenied, topicDenied := h.txnPartitionsAuthorization(req, t)
	switch {
	case txnDenied:
		each(func(txn.TopicPartition) int16 { return kerr.TransactionalIDAuthorizationFailed.Code })
	case topicDenied != nil:
		each(func(tp txn.TopicPartition) int16 {
			if topicDenied[tp.Topic] {
				return kerr.TopicAuthorizationFailed.Code
			}
			return kerr.OperationNotAttempted.Code
		})
	case len(unknown) > 0:
		each(func(tp txn.TopicPartition) int16 {
			if unknown[tp] {
				return kerr.UnknownTopicOrPartition.Code
			}
			return kerr.OperationNotAttempted.Code
		})
	case h.deps.Txns == nil:
		each(func(txn.TopicPartition) int16 { return kerr.CoordinatorNotAvailable.Code })
	case t.VerifyOnly:
		errs := h.deps.Txns.VerifyPartitions(t.TransactionalID, t.ProducerID, t.ProducerEpoch, parts)
		each(func(tp txn.TopicPartition) int16 { return kafkaerr.Code(errs[tp]) })
	default:
		h.deps.Txns.AddPartitions(t.TransactionalID, t.ProducerID, t.ProducerEpoch, parts, func(err error) {
			code := txnErrorCode(err, version, 2)
			each(func(txn.TopicPartition) int16 { return code })
		})
	}
}

// txnRequestPartitions lists a transaction's partitions once each, in
// request order.
func txnRequestPartitions(topics []kmsg.AddPartitionsToTxnRequestTransactionTopic) []txn.TopicPartition {
	var out []txn.TopicPartition
	seen := map[txn.TopicPartition]bool{}
	for _, rt := range topics {
		for _, p := range rt.Partitions {
			tp := txn.TopicPartition{Topic: rt.Topic, Partition: p}
			if !seen[tp] {
				seen[tp] = true
				out = append(out, tp)
			}
		}
	}
	return out
}

func txnPartitionResults(id string, parts []txn.TopicPartition, code func(txn.TopicPartition) int16) kmsg.AddPartitionsToTxnResponseTransaction {
	r := kmsg.NewAddPartitionsToTxnResponseTransaction()
	r.TransactionalID = id
	index := map[string]int{}
	for _, tp := range parts {
		i, ok := index[tp.Topic]
		if !ok {
			i = len(r.Topics)
			index[tp.Topic] = i
			t := kmsg.NewAddPartitionsToTxnResponseTransactionTopic()
			t.Topic = tp.Topic
			r.Topics = append(r.Topics, t)
		}
		p := kmsg.NewAddPartitionsToTxnResponseTransactionTopicPartition()
		p.Partition, p.ErrorCode = tp.Partition, code(tp)
		r.Topics[i].Partitions = append(r.Topics[i].Partitions, p)
	}
	return r
}

// addPartitionsResponse puts the results in the layout of the version:
// the single transaction's topics before v4, the batch from v4.
func addPartitionsResponse(resp *kmsg.AddPartitionsToTxnResponse, results []kmsg.AddPartitionsToTxnResponseTransaction) *kmsg.AddPartitionsToTxnResponse {
	if resp.Version >= 4 {
		resp.Transactions = results
		return resp
	}
	for _, rt := range results[0].Topics {
		t := kmsg.NewAddPartitionsToTxnResponseTopic()
		t.Topic = rt.Topic
		for _, rp := range rt.Partitions {
			t.Partitions = append(t.Partitions, kmsg.AddPartitionsToTxnResponseTopicPartition{Partition: rp.Partition, ErrorCode: rp.ErrorCode})
		}
		resp.Topics = append(resp.Topics, t)
	}
	return resp
}
