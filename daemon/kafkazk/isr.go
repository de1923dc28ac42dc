package kafkazk

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/kqhq/kq/daemon/internal/controller"
	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/znode"
)

// isrChangeDir is /isr_change_notification.
var isrChangeDir = znode.IsrChangeNotificationPath

// UpdateLeaderIsr is a leader's ISR write (Kafka's ZkIsrManager): the
// state znode is replaced if it is still at s.Version, and the new version
// returned. On a version conflict the znode is read back: when it already
// holds exactly s (an earlier attempt landed but its answer was lost), that
// is success; otherwise the error wraps meta.ErrBadVersion and the caller
// must assume another broker leads now.
func (c *Client) UpdateLeaderIsr(ctx context.Context, topic string, p int32, s controller.PartitionState) (int32, error) {
	stat, err := c.store.Set(ctx, statePath(topic, p), stateData(s), s.Version)
	if err == nil {
		return stat.Version, nil
	}
	if !isBadVersion(err) {
		return 0, fmt.Errorf("update ISR of %s-%d: %w", topic, p, err)
	}
	cur, rerr := c.partitionState(ctx, topic, p)
	if rerr != nil {
		return 0, errors.Join(fmt.Errorf("update ISR of %s-%d: %w", topic, p, err), rerr)
	}
	if sameState(cur, s) {
		return cur.Version, nil
	}
	return 0, fmt.Errorf("update ISR of %s-%d at version %d: state is now leader %d epoch %d isr %v at version %d: %w",
		topic, p, s.Version, cur.Leader, cur.LeaderEpoch, cur.ISR, cur.Version, meta.ErrBadVersion)
}

func sameState(a, b controller.PartitionState) bool {
	return a.Leader == b.Leader && a.LeaderEpoch == b.LeaderEpoch && a.ControllerEpoch == b.ControllerEpoch && slices.Equal(a.ISR, b.ISR)
}

// NotifyIsrChange writes /isr_change_notification/isr_change_<seq> naming
// the partitions, for the controller to propagate.
func (c *Client) NotifyIsrChange(ctx context.Context, parts []znode.TopicPartition) error {
	if _, err := c.store.Create(ctx, znode.IsrChangeSeqPrefix, znode.EncodeIsrChange(parts), meta.PersistentSequential); err != nil {
		return fmt.Errorf("write ISR change notification: %w", err)
	}
	return nil
}

// IsrChanges lists the pending ISR change notifications, the partitions
// they name (by topic), and watches for new ones. Malformed notifications
// are listed (to be deleted) but name nothing.
func (c *Client) IsrChanges(ctx context.Context) ([]string, map[string][]int32, <-chan struct{}, error) {
	names, _, ch, err := c.store.ChildrenW(ctx, isrChangeDir)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("list %s: %w", isrChangeDir, err)
	}
	parts := map[string][]int32{}
	for _, n := range names {
		path := isrChangeDir + "/" + n
		data, _, err := c.store.Get(ctx, path)
		if isNoNode(err) {
			continue
		}
		if err != nil {
			return nil, nil, fired(ch), fmt.Errorf("read %s: %w", path, err)
		}
		tps, err := znode.DecodeIsrChange(path, data)
		if err != nil {
			c.log.Warn("skipping malformed ISR change notification", "path", path, "err", err)
			continue
		}
		for _, tp := range tps {
			if !slices.Contains(parts[tp.Topic], tp.Partition) {
				parts[tp.Topic] = append(parts[tp.Topic], tp.Partition)
			}
		}
	}
	return names, parts, fired(ch), nil
}

// DeleteIsrChanges removes processed notifications.
func (c *Client) DeleteIsrChanges(ctx context.Context, names []string) error {
	for _, n := range names {
		path := isrChangeDir + "/" + n
		if err := c.store.Delete(ctx, path, meta.AnyVersion); err != nil && !isNoNode(err) {
			return fmt.Errorf("delete %s: %w", path, err)
		}
	}
	return nil
}
