package handler

import (
	"math"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// operationsOmitted is the authorized-operations value of a response that
// was not asked for them (Kafka's AUTHORIZED_OPERATIONS_OMITTED).
const operationsOmitted int32 = math.MinInt32

// Without an authorizer Kafka grants every operation a resource type
// supports (AclEntry.supportedOperations), reported as a bit per
// kmsg.ACLOperation. librdkafka's DescribeTopics and DescribeCluster fail
// when they are omitted.
var (
	topicOperations = operationBits(kmsg.ACLOperationRead, kmsg.ACLOperationWrite,
		kmsg.ACLOperationCreate, kmsg.ACLOperationDelete, kmsg.ACLOperationAlter,
		kmsg.ACLOperationDescribe, kmsg.ACLOperationDescribeConfigs, kmsg.ACLOperationAlterConfigs)
	clusterOperations = operationBits(kmsg.ACLOperationCreate, kmsg.ACLOperationAlter,
		kmsg.ACLOperationDescribe, kmsg.ACLOperationClusterAction, kmsg.ACLOperationDescribeConfigs,
		kmsg.ACLOperationAlterConfigs, kmsg.ACLOperationIdempotentWrite)
)

func operationBits(ops ...kmsg.ACLOperation) int32 {
	var bits int32
	for _, op := range ops {
		bits |= 1 << op
	}
	return bits
}

// authorizedOperations is what a response reports: every supported
// operation when asked, Kafka's omitted marker otherwise.
func authorizedOperations(asked bool, supported int32) int32 {
	if asked {
		return supported
	}
	return operationsOmitted
}
