package handler

import (
	"context"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// A handler built without a Controller (as FuzzHandle's is) answers the
// controller's APIs with NOT_CONTROLLER instead of panicking.
func TestNoControllerAnswersNotController(t *testing.T) {
	h := New(Deps{})
	alter := kmsg.NewPtrAlterPartitionAssignmentsRequest()
	at := kmsg.NewAlterPartitionAssignmentsRequestTopic()
	at.Topic = "t"
	at.Partitions = []kmsg.AlterPartitionAssignmentsRequestTopicPartition{{Partition: 0, Replicas: []int32{1}}}
	alter.Topics = append(alter.Topics, at)
	got, err := h.alterPartitionReassignments(context.Background(), nil, alter)
	if err != nil || got.(*kmsg.AlterPartitionAssignmentsResponse).ErrorCode != kerr.NotController.Code {
		t.Fatalf("alter: %+v %v, want NOT_CONTROLLER", got, err)
	}
	list := kmsg.NewPtrListPartitionReassignmentsRequest()
	got, err = h.listPartitionReassignments(context.Background(), nil, list)
	if err != nil || got.(*kmsg.ListPartitionReassignmentsResponse).ErrorCode != kerr.NotController.Code {
		t.Fatalf("list: %+v %v, want NOT_CONTROLLER", got, err)
	}
}
