package groups

import (
	"context"
	"slices"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/admin"
)

// fakeAdmin is a cluster with topic "t" (partitions 0-2, offsets 10..100)
// and the groups the test sets up.
type fakeAdmin struct {
	groups    map[string]admin.Group
	committed map[string][]admin.GroupOffset
	byTime    int64 // the offset every lookup by time answers
	commits   map[string][]admin.GroupOffset
	deleted   []string
}

func newFakeAdmin() *fakeAdmin {
	return &fakeAdmin{groups: map[string]admin.Group{}, committed: map[string][]admin.GroupOffset{}, commits: map[string][]admin.GroupOffset{}, byTime: 42}
}

func (f *fakeAdmin) ListGroups(_ context.Context, states ...string) ([]admin.GroupListing, error) {
	var out []admin.GroupListing
	for _, g := range f.groups {
		if len(states) == 0 || slices.Contains(states, g.State) {
			out = append(out, admin.GroupListing{Group: g.Group, State: g.State, ProtocolType: g.ProtocolType})
		}
	}
	slices.SortFunc(out, func(a, b admin.GroupListing) int {
		if a.Group < b.Group {
			return -1
		}
		return 1
	})
	return out, nil
}

func (f *fakeAdmin) DescribeGroup(_ context.Context, group string) (admin.Group, error) {
	g, ok := f.groups[group]
	if !ok {
		return admin.Group{}, admin.ErrNotFound
	}
	return g, nil
}

func (f *fakeAdmin) GroupLag(ctx context.Context, group string) (admin.Group, []admin.PartitionLag, error) {
	g, err := f.DescribeGroup(ctx, group)
	if err != nil {
		return g, nil, err
	}
	var rows []admin.PartitionLag
	for _, o := range f.committed[group] {
		rows = append(rows, admin.PartitionLag{Group: group, Topic: o.Topic, Partition: o.Partition, Committed: o.Offset, LogEnd: 100, Lag: 100 - o.Offset})
	}
	return g, rows, nil
}

func (f *fakeAdmin) GroupOffsets(_ context.Context, group string) ([]admin.GroupOffset, error) {
	return f.committed[group], nil
}

func (f *fakeAdmin) CommitGroupOffsets(_ context.Context, group string, offsets []admin.GroupOffset) error {
	f.commits[group] = append(f.commits[group], offsets...)
	return nil
}

func (f *fakeAdmin) DeleteGroups(_ context.Context, groups ...string) (map[string]error, error) {
	out := map[string]error{}
	for _, g := range groups {
		switch gr, ok := f.groups[g]; {
		case !ok:
			out[g] = kerr.GroupIDNotFound
		case len(gr.Members) > 0:
			out[g] = kerr.NonEmptyGroup
		default:
			f.deleted = append(f.deleted, g)
		}
	}
	return out, nil
}

func (f *fakeAdmin) DeleteGroupOffsets(_ context.Context, group, _ string, partitions []int32) (map[int32]error, error) {
	if _, ok := f.groups[group]; !ok {
		return nil, kerr.GroupIDNotFound
	}
	if len(partitions) == 0 {
		partitions = []int32{0, 1, 2}
	}
	out := map[int32]error{}
	for _, p := range partitions {
		out[p] = nil
		if p == 2 {
			out[p] = kerr.GroupSubscribedToTopic
		}
	}
	return out, nil
}

func (f *fakeAdmin) Topics(_ context.Context, names ...string) ([]admin.Topic, error) {
	var out []admin.Topic
	for _, n := range names {
		if n != "t" {
			out = append(out, admin.Topic{Name: n, Err: kerr.UnknownTopicOrPartition})
			continue
		}
		out = append(out, admin.Topic{Name: "t", Partitions: []admin.Partition{{ID: 0}, {ID: 1}, {ID: 2}}})
	}
	return out, nil
}

func (f *fakeAdmin) ListOffsets(_ context.Context, timestamp int64, topics ...string) ([]admin.PartitionOffset, error) {
	off := f.byTime
	switch timestamp {
	case admin.EarliestOffset:
		off = 10
	case admin.LatestOffset:
		off = 100
	}
	var out []admin.PartitionOffset
	for _, p := range []int32{0, 1, 2} {
		out = append(out, admin.PartitionOffset{Topic: "t", Partition: p, Offset: off})
	}
	return out, nil
}
