package groups

import (
	"context"
	"fmt"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
)

// groupsAdmin is what `kq groups` asks the cluster (*admin.Client).
type groupsAdmin interface {
	ListGroups(ctx context.Context, states ...string) ([]admin.GroupListing, error)
	DescribeGroup(ctx context.Context, group string) (admin.Group, error)
	GroupLag(ctx context.Context, group string) (admin.Group, []admin.PartitionLag, error)
	GroupOffsets(ctx context.Context, group string) ([]admin.GroupOffset, error)
	CommitGroupOffsets(ctx context.Context, group string, offsets []admin.GroupOffset) error
	DeleteGroups(ctx context.Context, groups ...string) (map[string]error, error)
	DeleteGroupOffsets(ctx context.Context, group, topic string, partitions []int32) (map[int32]error, error)
	Topics(ctx context.Context, names ...string) ([]admin.Topic, error)
	ListOffsets(ctx context.Context, timestamp int64, topics ...string) ([]admin.PartitionOffset, error)
}

// adminOf returns the factory's admin client as a groupsAdmin.
func adminOf(f *factory.Factory) func() (groupsAdmin, error) {
	return func() (groupsAdmin, error) {
		a, err := f.Admin()
		if err != nil {
			return nil, err
		}
		ga, ok := a.(groupsAdmin)
		if !ok {
			return nil, fmt.Errorf("this cluster client does not support consumer groups")
		}
		return ga, nil
	}
}
