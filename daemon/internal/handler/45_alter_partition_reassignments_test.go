package handler_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/controller"
	"github.com/kqhq/kq/daemon/internal/handler"
	"github.com/kqhq/kq/daemon/internal/server"
)

// fakeReassigner is a controller that answers reassignment operations
// from fixed results and remembers what it was asked.
type fakeReassigner struct {
	err      error
	results  map[controller.TopicPartition]error
	listed   map[controller.TopicPartition]controller.Reassignment
	targets  map[controller.TopicPartition][]int32
	asked    []controller.TopicPartition
	askedAll bool
}

func (f *fakeReassigner) ControlledShutdown(context.Context, int32, int64) ([]controller.TopicPartition, error) {
	return nil, errors.New("not in this test")
}

func (f *fakeReassigner) ElectLeaders(context.Context, controller.ElectionType, []controller.TopicPartition) (map[controller.TopicPartition]controller.ElectionResult, error) {
	return nil, errors.New("not in this test")
}

func (f *fakeReassigner) AlterPartitionReassignments(_ context.Context, targets map[controller.TopicPartition][]int32) (map[controller.TopicPartition]error, error) {
	f.targets = targets
	return f.results, f.err
}

func (f *fakeReassigner) ListPartitionReassignments(_ context.Context, only []controller.TopicPartition) (map[controller.TopicPartition]controller.Reassignment, error) {
	f.asked, f.askedAll = only, only == nil
	return f.listed, f.err
}

// callWith sends req, encoded and decoded as on the wire, to a handler
// over deps and returns the decoded response.
func callWith(t *testing.T, deps handler.Deps, req kmsg.Request) kmsg.Response {
	t.Helper()
	deps.Logger = slog.New(slog.DiscardHandler)
	h := handler.New(deps)
	body := kmsg.RequestForKey(req.Key())
	body.SetVersion(req.GetVersion())
	if err := body.ReadFrom(req.AppendTo(nil)); err != nil {
		t.Fatalf("decode request: %v", err)
	}
	out, err := h.Handle(context.Background(), &server.Request{Key: req.Key(), Version: req.GetVersion(), Body: body, Conn: server.ConnInfo{ID: 1, Listener: "PLAINTEXT"}})
	if err != nil {
		t.Fatalf("handler error: %v", err)
	}
	waitReady(t, out)
	out.Msg.SetVersion(req.GetVersion())
	resp := req.ResponseKind()
	if err := resp.ReadFrom(out.Msg.AppendTo(nil)); err != nil {
		t.Fatalf("decode response: %v", err)
	}
	return resp
}

func alterRequest(parts map[int32][]int32) *kmsg.AlterPartitionAssignmentsRequest {
	req := kmsg.NewPtrAlterPartitionAssignmentsRequest()
	rt := kmsg.NewAlterPartitionAssignmentsRequestTopic()
	rt.Topic = "t"
	for _, p := range slices.Sorted(maps.Keys(parts)) {
		rp := kmsg.NewAlterPartitionAssignmentsRequestTopicPartition()
		rp.Partition, rp.Replicas = p, parts[p]
		rt.Partitions = append(rt.Partitions, rp)
	}
	req.Topics = []kmsg.AlterPartitionAssignmentsRequestTopic{rt}
	return req
}

func TestAlterPartitionReassignments(t *testing.T) {
	tp := func(p int32) controller.TopicPartition { return controller.TopicPartition{Topic: "t", Partition: p} }
	tests := []struct {
		name     string
		ctl      *fakeReassigner
		parts    map[int32][]int32
		topCode  int16
		codes    map[int32]int16
		messages map[int32]string
	}{
		{name: "not the controller", ctl: &fakeReassigner{err: controller.ErrNotController},
			parts: map[int32][]int32{0: {1, 2}}, topCode: kerr.NotController.Code},
		{name: "timed out waiting for the controller", ctl: &fakeReassigner{err: fmt.Errorf("run: %w", context.DeadlineExceeded)},
			parts: map[int32][]int32{0: {1, 2}}, topCode: kerr.RequestTimedOut.Code},
		{name: "started", ctl: &fakeReassigner{results: map[controller.TopicPartition]error{tp(0): nil}},
			parts: map[int32][]int32{0: {1, 2}}, codes: map[int32]int16{0: 0}},
		{name: "per-partition refusals with Kafka's codes", ctl: &fakeReassigner{results: map[controller.TopicPartition]error{
			tp(0): refuse(kerr.InvalidReplicaAssignment, "Duplicate replica ids in partition reassignment replica list: 1,1"),
			tp(1): refuse(kerr.UnknownTopicOrPartition, "The partition does not exist."),
			tp(2): &controller.ReassignError{Code: kerr.NoReassignmentInProgress},
			tp(3): nil,
		}}, parts: map[int32][]int32{0: {1, 1}, 1: {1}, 2: nil, 3: {2}},
			codes:    map[int32]int16{0: kerr.InvalidReplicaAssignment.Code, 1: kerr.UnknownTopicOrPartition.Code, 2: kerr.NoReassignmentInProgress.Code, 3: 0},
			messages: map[int32]string{0: "Duplicate replica ids in partition reassignment replica list: 1,1", 1: "The partition does not exist."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := callWith(t, handler.Deps{BrokerID: 1, Controller: tt.ctl}, alterRequest(tt.parts)).(*kmsg.AlterPartitionAssignmentsResponse)
			if resp.ErrorCode != tt.topCode {
				t.Fatalf("top-level error %d, want %d", resp.ErrorCode, tt.topCode)
			}
			if tt.topCode != 0 {
				if len(resp.Topics) != 0 || resp.ErrorMessage == nil {
					t.Fatalf("a top-level error answers no topics and a message: %+v", resp)
				}
				return
			}
			got := map[int32]int16{}
			for _, rt := range resp.Topics {
				for _, rp := range rt.Partitions {
					got[rp.Partition] = rp.ErrorCode
					if want, ok := tt.messages[rp.Partition]; ok && (rp.ErrorMessage == nil || *rp.ErrorMessage != want) {
						t.Fatalf("partition %d message %v, want %q", rp.Partition, rp.ErrorMessage, want)
					}
					if rp.ErrorCode == 0 && rp.ErrorMessage != nil {
						t.Fatalf("partition %d: message %q without an error", rp.Partition, *rp.ErrorMessage)
					}
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.codes) {
				t.Fatalf("codes %v, want %v", got, tt.codes)
			}
		})
	}
}

func refuse(code *kerr.Error, msg string) error {
	return &controller.ReassignError{Code: code, Message: msg}
}

// TestAlterPartitionReassignmentsNullCancels: null replicas on the wire
// reach the controller as nil (cancel), an empty list as empty (refused
// there as INVALID_REPLICA_ASSIGNMENT).
func TestAlterPartitionReassignmentsNullCancels(t *testing.T) {
	ctl := &fakeReassigner{results: map[controller.TopicPartition]error{}}
	callWith(t, handler.Deps{Controller: ctl}, alterRequest(map[int32][]int32{0: nil, 1: {}, 2: {3, 1}}))
	got := ctl.targets
	cancel, empty, move := got[controller.TopicPartition{Topic: "t", Partition: 0}], got[controller.TopicPartition{Topic: "t", Partition: 1}], got[controller.TopicPartition{Topic: "t", Partition: 2}]
	if len(got) != 3 || cancel != nil || empty == nil || len(empty) != 0 || !slices.Equal(move, []int32{3, 1}) {
		t.Fatalf("controller asked %v (cancel nil %v, empty non-nil %v)", got, cancel == nil, empty != nil)
	}
}

func TestListPartitionReassignments(t *testing.T) {
	listed := map[controller.TopicPartition]controller.Reassignment{
		{Topic: "b", Partition: 1}: {Replicas: []int32{2, 3, 1}, Adding: []int32{3}, Removing: []int32{1}},
		{Topic: "a", Partition: 0}: {Replicas: []int32{1, 2}, Adding: []int32{2}},
	}
	t.Run("all", func(t *testing.T) {
		ctl := &fakeReassigner{listed: listed}
		req := kmsg.NewPtrListPartitionReassignmentsRequest()
		resp := callWith(t, handler.Deps{Controller: ctl}, req).(*kmsg.ListPartitionReassignmentsResponse)
		if !ctl.askedAll {
			t.Fatalf("null topics should ask for all, asked %v", ctl.asked)
		}
		if resp.ErrorCode != 0 || len(resp.Topics) != 2 || resp.Topics[0].Topic != "a" || resp.Topics[1].Topic != "b" {
			t.Fatalf("response %+v", resp)
		}
		b := resp.Topics[1].Partitions[0]
		if b.Partition != 1 || !slices.Equal(b.Replicas, []int32{2, 3, 1}) || !slices.Equal(b.AddingReplicas, []int32{3}) || !slices.Equal(b.RemovingReplicas, []int32{1}) {
			t.Fatalf("b-1 = %+v", b)
		}
		if a := resp.Topics[0].Partitions[0]; !slices.Equal(a.AddingReplicas, []int32{2}) || len(a.RemovingReplicas) != 0 {
			t.Fatalf("a-0 = %+v", a)
		}
	})
	t.Run("some", func(t *testing.T) {
		ctl := &fakeReassigner{listed: map[controller.TopicPartition]controller.Reassignment{}}
		req := kmsg.NewPtrListPartitionReassignmentsRequest()
		rt := kmsg.NewListPartitionReassignmentsRequestTopic()
		rt.Topic, rt.Partitions = "a", []int32{0, 4}
		req.Topics = []kmsg.ListPartitionReassignmentsRequestTopic{rt}
		resp := callWith(t, handler.Deps{Controller: ctl}, req).(*kmsg.ListPartitionReassignmentsResponse)
		want := []controller.TopicPartition{{Topic: "a", Partition: 0}, {Topic: "a", Partition: 4}}
		if ctl.askedAll || !slices.Equal(ctl.asked, want) || len(resp.Topics) != 0 {
			t.Fatalf("asked %v (all %v), answered %+v", ctl.asked, ctl.askedAll, resp.Topics)
		}
	})
	t.Run("not the controller", func(t *testing.T) {
		ctl := &fakeReassigner{err: controller.ErrNotController}
		resp := callWith(t, handler.Deps{Controller: ctl}, kmsg.NewPtrListPartitionReassignmentsRequest()).(*kmsg.ListPartitionReassignmentsResponse)
		if resp.ErrorCode != kerr.NotController.Code {
			t.Fatalf("error %d, want NOT_CONTROLLER", resp.ErrorCode)
		}
	})
}
