package kafkazk

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/znode"
)

// SetConsumerOffset records a group's offset for a partition where Kafka's
// ZooKeeper-mode broker keeps offsets committed with OffsetCommit v0:
// /consumers/<group>/offsets/<topic>/<partition>, the offset as a decimal
// string, parents created as needed.
func (c *Client) SetConsumerOffset(ctx context.Context, group, topic string, partition int32, offset int64) error {
	path := znode.ConsumerOffsetPath(group, topic, partition)
	data := []byte(strconv.FormatInt(offset, 10))
	for {
		_, err := c.store.Set(ctx, path, data, meta.AnyVersion)
		if !isNoNode(err) {
			return wrapPath("write", path, err)
		}
		_, err = meta.CreateRecursive(ctx, c.store, path, data, meta.Persistent)
		if !errors.Is(err, meta.ErrNodeExists) {
			return wrapPath("create", path, err) // else another commit created it first: set it
		}
	}
}

// ConsumerOffset reads an offset written by SetConsumerOffset (or by an
// old Kafka); ok is false when the group has none for the partition.
func (c *Client) ConsumerOffset(ctx context.Context, group, topic string, partition int32) (offset int64, ok bool, err error) {
	path := znode.ConsumerOffsetPath(group, topic, partition)
	data, _, err := c.store.Get(ctx, path)
	if isNoNode(err) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("read %s: %w", path, err)
	}
	offset, err = strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
	if err != nil {
		return 0, false, fmt.Errorf("read %s: not an offset: %w", path, err)
	}
	return offset, true, nil
}

func wrapPath(op, path string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s %s: %w", op, path, err)
}
