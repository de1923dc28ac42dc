package handler

import (
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/server"
)

// txnPartitionsAuthorization is KafkaApis' AddPartitionsToTxn check for
// one transaction: Write on its transactional id, then Write on each
// topic (denied topics fail, the others are not attempted).
func (h *Handler) txnPartitionsAuthorization(req *server.Request, t kmsg.AddPartitionsToTxnRequestTransaction) (txnDenied bool, topicDenied map[string]bool) {
	if t.VerifyOnly {
		return false, nil // a broker's check, authorized as ClusterAction
	}
	if !h.allowed(req, opWrite, resTxnID, t.TransactionalID) {
		return true, nil
	}
	return false, h.deniedTopics(req, opWrite, func(yield func(string) bool) {
		for _, rt := range t.Topics {
			if !yield(rt.Topic) {
				return
			}
		}
	})
}

// txnGroupAuthorization is the AddOffsetsToTxn and TxnOffsetCommit check:
// Write on the transactional id, then Read on the group.
func (h *Handler) txnGroupAuthorization(req *server.Request, transactionalID, group string) int16 {
	if !h.allowed(req, opWrite, resTxnID, transactionalID) {
		return kerr.TransactionalIDAuthorizationFailed.Code
	}
	if !h.allowed(req, opRead, resGroup, group) {
		return groupDenied
	}
	return 0
}

// txnCommitTopics iterates a TxnOffsetCommit's topic names.
func txnCommitTopics(body *kmsg.TxnOffsetCommitRequest) func(func(string) bool) {
	return func(yield func(string) bool) {
		for _, t := range body.Topics {
			if !yield(t.Topic) {
				return
			}
		}
	}
}

// txnOffsetCommitRefused answers every partition with code.
func txnOffsetCommitRefused(body *kmsg.TxnOffsetCommitRequest, code int16) *kmsg.TxnOffsetCommitResponse {
	resp := body.ResponseKind().(*kmsg.TxnOffsetCommitResponse)
	for _, rt := range body.Topics {
		t := kmsg.NewTxnOffsetCommitResponseTopic()
		t.Topic = rt.Topic
		for _, rp := range rt.Partitions {
			p := kmsg.NewTxnOffsetCommitResponseTopicPartition()
			p.Partition, p.ErrorCode = rp.Partition, code
			t.Partitions = append(t.Partitions, p)
		}
		resp.Topics = append(resp.Topics, t)
	}
	return resp
}
