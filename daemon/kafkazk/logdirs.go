package kafkazk

import (
	"context"
	"fmt"
	"slices"

	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/znode"
)

// logDirEventDir is /log_dir_event_notification.
var logDirEventDir = znode.LogDirEventNotificationPath

// NotifyLogDirEvent writes /log_dir_event_notification/log_dir_event_<seq>
// naming the broker, which took a log dir offline (Kafka's
// propagateLogDirEvent), for the controller to move its replicas there.
func (c *Client) NotifyLogDirEvent(ctx context.Context, broker int32) error {
	if _, err := c.store.Create(ctx, znode.LogDirEventSeqPrefix, znode.EncodeLogDirEvent(broker), meta.PersistentSequential); err != nil {
		return fmt.Errorf("write log dir event notification: %w", err)
	}
	return nil
}

// LogDirEvents lists the pending log dir event notifications and the
// brokers they name, and watches for new ones. Malformed notifications
// are listed (to be deleted) but name nobody.
func (c *Client) LogDirEvents(ctx context.Context) ([]string, []int32, <-chan struct{}, error) {
	names, _, ch, err := c.store.ChildrenW(ctx, logDirEventDir)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("list %s: %w", logDirEventDir, err)
	}
	var brokers []int32
	for _, n := range names {
		path := logDirEventDir + "/" + n
		data, _, err := c.store.Get(ctx, path)
		if isNoNode(err) {
			continue
		}
		if err != nil {
			return nil, nil, fired(ch), fmt.Errorf("read %s: %w", path, err)
		}
		id, err := znode.DecodeLogDirEvent(path, data)
		if err != nil {
			c.log.Warn("skipping malformed log dir event notification", "path", path, "err", err)
			continue
		}
		if !slices.Contains(brokers, id) {
			brokers = append(brokers, id)
		}
	}
	return names, brokers, fired(ch), nil
}

// DeleteLogDirEvents removes processed notifications.
func (c *Client) DeleteLogDirEvents(ctx context.Context, names []string) error {
	for _, n := range names {
		path := logDirEventDir + "/" + n
		if err := c.store.Delete(ctx, path, meta.AnyVersion); err != nil && !isNoNode(err) {
			return fmt.Errorf("delete %s: %w", path, err)
		}
	}
	return nil
}
