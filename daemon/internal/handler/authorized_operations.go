package handler

import (
	"math"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/authz"
	"github.com/kqhq/kq/daemon/internal/server"
)

// operationsOmitted is the authorized-operations value of a response that
// was not asked for them (Kafka's AUTHORIZED_OPERATIONS_OMITTED).
const operationsOmitted int32 = math.MinInt32

// supportedOperations is every operation a resource type supports
// (Kafka's AclEntry.supportedOperations), a bit per kmsg.ACLOperation:
// what a principal may do without an authorizer. librdkafka's
// DescribeTopics and DescribeCluster fail when they are omitted.
func supportedOperations(t kmsg.ACLResourceType) int32 {
	var bits int32
	for _, op := range authz.SupportedOperations(t) {
		bits |= 1 << op
	}
	return bits
}

// authorizedOperations is what a response reports: the operations the
// principal may perform when asked, Kafka's omitted marker otherwise.
func (h *Handler) authorizedOperations(req *server.Request, asked bool, t kmsg.ACLResourceType, name string) int32 {
	if asked {
		return h.operations(req, t, name)
	}
	return operationsOmitted
}

// clusterOperations is the cluster's authorized operations: omitted when
// not asked, none without Describe on the cluster (as KafkaApis answers).
func (h *Handler) clusterOperations(req *server.Request, asked bool) int32 {
	switch {
	case !asked:
		return operationsOmitted
	case !h.allowedCluster(req, opDescribe):
		return 0
	}
	return h.operations(req, resCluster, authz.ClusterName)
}
