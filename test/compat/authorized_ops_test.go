package compat

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/test/harness"
)

// With no authorizer, a client asking for its authorized operations (KIP-430)
// gets every operation the resource supports, as from Kafka; not asking, it
// gets none. librdkafka's DescribeTopics and DescribeCluster depend on it.
func TestKadmAuthorizedOperations(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1})
	adm := b.Admin()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	createTopic(t, adm, "ops", 1, nil)

	md, err := adm.Metadata(kadm.WithAuthorizedOps(ctx), "ops")
	if err != nil {
		t.Fatal(err)
	}
	wantTopic := []kadm.ACLOperation{kmsg.ACLOperationRead, kmsg.ACLOperationWrite, kmsg.ACLOperationCreate,
		kmsg.ACLOperationDelete, kmsg.ACLOperationAlter, kmsg.ACLOperationDescribe,
		kmsg.ACLOperationDescribeConfigs, kmsg.ACLOperationAlterConfigs}
	if got := sortedOps(md.Topics["ops"].AuthorizedOperations); !slices.Equal(got, wantTopic) {
		t.Errorf("topic operations %v, want %v", got, wantTopic)
	}
	if md, err := adm.Metadata(ctx, "ops"); err != nil || len(md.Topics["ops"].AuthorizedOperations) != 0 {
		t.Errorf("operations not asked for: %v (err %v), want none", md.Topics["ops"].AuthorizedOperations, err)
	}

	req := kmsg.NewPtrDescribeClusterRequest()
	req.IncludeClusterAuthorizedOperations = true
	resp, err := req.RequestWith(ctx, b.Client())
	if err != nil {
		t.Fatal(err)
	}
	wantCluster := []kadm.ACLOperation{kmsg.ACLOperationCreate, kmsg.ACLOperationAlter, kmsg.ACLOperationDescribe,
		kmsg.ACLOperationClusterAction, kmsg.ACLOperationDescribeConfigs, kmsg.ACLOperationAlterConfigs,
		kmsg.ACLOperationIdempotentWrite}
	if got := sortedOps(kadm.DecodeACLOperations(resp.ClusterAuthorizedOperations)); !slices.Equal(got, wantCluster) {
		t.Errorf("cluster operations %v, want %v", got, wantCluster)
	}
}

func sortedOps(ops []kadm.ACLOperation) []kadm.ACLOperation {
	out := slices.Clone(ops)
	slices.Sort(out)
	return out
}
