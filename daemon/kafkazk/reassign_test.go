package kafkazk

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/kqhq/kq/daemon/internal/controller"
	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/embedded"
	"github.com/kqhq/kq/store/meta/znode"
)

func TestSetPartitionAssignmentsKeepsOtherPartitions(t *testing.T) {
	srv, err := embedded.New("", embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c, ctx := newClient(t, srv), context.Background()
	if _, err := c.CreateTopic(ctx, TopicSpec{Name: "t", Assignment: map[int32][]int32{0: {1, 2}, 1: {2, 3}}}); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		set  controller.PartitionAssignment
		want string
	}{
		{controller.PartitionAssignment{Replicas: []int32{3, 4, 1, 2}, Adding: []int32{3, 4}, Removing: []int32{1, 2}},
			`"partitions":{"0":[3,4,1,2],"1":[2,3]},"adding_replicas":{"0":[3,4]},"removing_replicas":{"0":[1,2]}}`},
		{controller.PartitionAssignment{Replicas: []int32{3, 4}},
			`"partitions":{"0":[3,4],"1":[2,3]},"adding_replicas":{},"removing_replicas":{}}`},
	}
	for _, s := range steps {
		if err := c.SetPartitionAssignments(ctx, "t", map[int32]controller.PartitionAssignment{0: s.set}); err != nil {
			t.Fatal(err)
		}
		data, _, err := c.Store().Get(ctx, "/brokers/topics/t")
		if err != nil {
			t.Fatal(err)
		}
		if got := string(data); len(got) < len(s.want) || got[len(got)-len(s.want):] != s.want {
			t.Fatalf("znode %s, want it to end %s", got, s.want)
		}
		a, _, err := c.Assignment(ctx, "t")
		if err != nil || !slices.Equal(a.Replicas[0], s.set.Replicas) || !slices.Equal(a.Adding[0], s.set.Adding) || !slices.Equal(a.Removing[0], s.set.Removing) {
			t.Fatalf("Assignment = %+v, %v; want partition 0 as %+v", a, err, s.set)
		}
	}
}

func TestRemoveReassignRequests(t *testing.T) {
	tp := func(p int32) controller.TopicPartition { return controller.TopicPartition{Topic: "t", Partition: p} }
	tests := []struct {
		name    string
		content []byte
		drop    func(controller.TopicPartition, []int32) bool
		want    map[controller.TopicPartition][]int32 // nil: node deleted
	}{
		{"drop one", znode.EncodeReassignPartitions([]znode.PartitionReplicas{{Topic: "t", Partition: 0, Replicas: []int32{1}}, {Topic: "t", Partition: 1, Replicas: []int32{2}}}),
			func(x controller.TopicPartition, _ []int32) bool { return x == tp(0) },
			map[controller.TopicPartition][]int32{tp(1): {2}}},
		{"drop the last: node deleted", znode.EncodeReassignPartitions([]znode.PartitionReplicas{{Topic: "t", Partition: 0, Replicas: []int32{1}}}),
			func(controller.TopicPartition, []int32) bool { return true }, nil},
		{"drop only with the same replicas", znode.EncodeReassignPartitions([]znode.PartitionReplicas{{Topic: "t", Partition: 0, Replicas: []int32{1}}}),
			func(x controller.TopicPartition, r []int32) bool { return slices.Equal(r, []int32{9}) },
			map[controller.TopicPartition][]int32{tp(0): {1}}},
		{"malformed: node deleted", []byte(`{"version":1,"partitions":[{"topic":"t"}]}`),
			func(controller.TopicPartition, []int32) bool { return false }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := embedded.New("", embedded.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			c, ctx := newClient(t, srv), context.Background()
			if _, err := meta.CreateRecursive(ctx, c.Store(), znode.ReassignPartitionsPath, tt.content, meta.Persistent); err != nil {
				t.Fatal(err)
			}
			if err := c.RemoveReassignRequests(ctx, tt.drop); err != nil {
				t.Fatal(err)
			}
			got, _, err := c.ReassignRequests(ctx)
			if err != nil || len(got) != len(tt.want) || (tt.want == nil) != (got == nil) {
				t.Fatalf("requests %v (%v), want %v", got, err, tt.want)
			}
			for k, v := range tt.want {
				if !slices.Equal(got[k], v) {
					t.Fatalf("requests %v, want %v", got, tt.want)
				}
			}
		})
	}
	t.Run("no node", func(t *testing.T) {
		srv, err := embedded.New("", embedded.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		c := newClient(t, srv)
		if err := c.RemoveReassignRequests(context.Background(), func(controller.TopicPartition, []int32) bool { return true }); err != nil {
			t.Fatalf("without a node: %v", err)
		}
		if err := c.RequestReassignment(context.Background(), map[controller.TopicPartition][]int32{tp(0): {1}}); err != nil {
			t.Fatal(err)
		}
		err = c.RequestReassignment(context.Background(), map[controller.TopicPartition][]int32{tp(0): {2}})
		if !errors.Is(err, meta.ErrNodeExists) {
			t.Fatalf("second request: %v, want ErrNodeExists", err)
		}
	})
}
