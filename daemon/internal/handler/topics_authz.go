package handler

import (
	"errors"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/server"
)

// errAuthorization is the message Kafka sends with an authorization
// failure.
var errAuthorization = errors.New("Authorization failed.")

// createRefused is a topic the principal may not create: it needs Create
// on the cluster or on the topic.
func createRefused(version int16, topic string) kmsg.CreateTopicsResponseTopic {
	t := kmsg.NewCreateTopicsResponseTopic()
	t.Topic = topic
	setCreateError(&t, version, kerr.TopicAuthorizationFailed, errAuthorization)
	return t
}

// hideCreatedConfigs withholds a created topic's configs (v5+) from a
// principal who may not DescribeConfigs it, as KafkaApis does.
func (h *Handler) hideCreatedConfigs(req *server.Request, t *kmsg.CreateTopicsResponseTopic) {
	if t.ErrorCode == 0 && !h.allowed(req, opDescribeConfigs, resTopic, t.Topic) {
		t.Configs, t.ConfigErrorCode = nil, kerr.TopicAuthorizationFailed.Code
	}
}

// deleteTopicAuthorization is KafkaApis' DeleteTopics check: a topic named
// by id needs Describe once found (an unknown id stays UNKNOWN_TOPIC_ID),
// and every topic Delete, checked before whether a named topic exists.
func (h *Handler) deleteTopicAuthorization(req *server.Request, ref topicRef, name string, code int16) int16 {
	byID := ref.name == nil || *ref.name == ""
	if !byID {
		name = *ref.name
	} else if code != 0 {
		return 0
	}
	if byID && !h.allowed(req, opDescribe, resTopic, name) {
		return kerr.TopicAuthorizationFailed.Code
	}
	if !h.allowed(req, opDeleteResource, resTopic, name) {
		return kerr.TopicAuthorizationFailed.Code
	}
	return 0
}

// initProducerIDAuthorization is KafkaApis' InitProducerId check: Write on
// the transactional id, or for an idempotent producer IdempotentWrite on
// the cluster or Write on some topic (KIP-679: Write implies it).
func (h *Handler) initProducerIDAuthorization(req *server.Request, body *kmsg.InitProducerIDRequest) int16 {
	if body.TransactionalID != nil {
		if !h.allowed(req, opWrite, resTxnID, *body.TransactionalID) {
			return kerr.TransactionalIDAuthorizationFailed.Code
		}
		return 0
	}
	if !h.allowedCluster(req, opIdempotentWrite) && !h.allowedAny(req, opWrite, resTopic) {
		return kerr.ClusterAuthorizationFailed.Code
	}
	return 0
}

// epochAuthorization is KafkaApis' OffsetForLeaderEpoch check: ClusterAction
// (followers) or Describe on the topic (consumers checking for
// truncation, KIP-320), else TOPIC_AUTHORIZATION_FAILED.
func (h *Handler) epochAuthorization(req *server.Request, topic string) int16 {
	if h.allowedCluster(req, opClusterAction) || h.allowed(req, opDescribe, resTopic, topic) {
		return 0
	}
	return kerr.TopicAuthorizationFailed.Code
}

// configAuthorization is the DescribeConfigs / AlterConfigs check: op on
// the topic (TOPIC_AUTHORIZATION_FAILED) or, for brokers and their
// loggers, on the cluster (CLUSTER_AUTHORIZATION_FAILED). Other types are
// left to the handler, which refuses them.
func (h *Handler) configAuthorization(req *server.Request, op kmsg.ACLOperation, typ kmsg.ConfigResourceType, name string) error {
	switch typ {
	case kmsg.ConfigResourceTypeTopic:
		if !h.allowed(req, op, resTopic, name) {
			return kafkaErrorf(kerr.TopicAuthorizationFailed, "%v", errAuthorization)
		}
	case kmsg.ConfigResourceTypeBroker, kmsg.ConfigResourceTypeBrokerLogger:
		if !h.allowedCluster(req, op) {
			return kafkaErrorf(kerr.ClusterAuthorizationFailed, "%v", errAuthorization)
		}
	}
	return nil
}
