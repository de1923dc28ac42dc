package kafkazk

import (
	"context"
	"fmt"
	"time"

	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/znode"
)

// Elect tries to create /controller. The winner increments
// /controller_epoch with compare-and-set and gets a channel closed when
// /controller changes (it is deleted or its session ends). A loser gets a
// channel closed when /controller changes, to try again.
func (c *Client) Elect(ctx context.Context, brokerID int32) (bool, int32, <-chan struct{}, error) {
	v := znode.Controller{BrokerID: brokerID, Timestamp: time.Now().UnixMilli()}
	_, err := c.store.Create(ctx, controllerPath, v.Encode(), meta.Ephemeral)
	if err != nil && !isExists(err) {
		return false, 0, nil, fmt.Errorf("create %s: %w", controllerPath, err)
	}
	_, exists, ch, werr := c.store.ExistsW(ctx, controllerPath)
	if werr != nil {
		return false, 0, nil, fmt.Errorf("watch %s: %w", controllerPath, werr)
	}
	if err != nil || !exists { // someone else is controller, or it just went away
		return false, 0, fired(ch), nil
	}
	epoch, version, err := c.bumpControllerEpoch(ctx)
	if err != nil {
		_ = c.store.Delete(ctx, controllerPath, meta.AnyVersion)
		return false, 0, nil, err
	}
	c.epochVersion.Store(version)
	return true, epoch, fired(ch), nil
}

// bumpControllerEpoch increments /controller_epoch (created as 1 the first
// time) with compare-and-set, so two controllers never share an epoch. It
// returns the new epoch and the znode version it wrote.
func (c *Client) bumpControllerEpoch(ctx context.Context) (epoch, version int32, err error) {
	for {
		data, stat, err := c.store.Get(ctx, controllerEpochPath)
		if isNoNode(err) {
			_, err = c.store.Create(ctx, controllerEpochPath, znode.EncodeControllerEpoch(1), meta.Persistent)
			if err == nil {
				return 1, 0, nil
			}
			if isExists(err) {
				continue
			}
		}
		if err != nil {
			return 0, 0, fmt.Errorf("read %s: %w", controllerEpochPath, err)
		}
		cur, err := znode.DecodeControllerEpoch(controllerEpochPath, data)
		if err != nil {
			return 0, 0, err
		}
		next, err := c.store.Set(ctx, controllerEpochPath, znode.EncodeControllerEpoch(cur+1), stat.Version)
		if err == nil {
			return cur + 1, next.Version, nil
		}
		if !isBadVersion(err) {
			return 0, 0, fmt.Errorf("write %s: %w", controllerEpochPath, err)
		}
	}
}

// Resign deletes /controller if this broker holds it.
func (c *Client) Resign(ctx context.Context, brokerID int32) error {
	id, stat, err := c.Controller(ctx)
	if err != nil || id != brokerID {
		return err
	}
	c.epochVersion.Store(-1)
	err = c.store.Delete(ctx, controllerPath, stat.Version)
	if isNoNode(err) || isBadVersion(err) {
		return nil
	}
	return err
}

// Controller returns the current controller's id (-1 when none).
func (c *Client) Controller(ctx context.Context) (int32, meta.Stat, error) {
	data, stat, err := c.store.Get(ctx, controllerPath)
	if isNoNode(err) {
		return -1, stat, nil
	}
	if err != nil {
		return -1, stat, fmt.Errorf("read %s: %w", controllerPath, err)
	}
	v, err := znode.DecodeController(controllerPath, data)
	if err != nil {
		return -1, stat, err
	}
	return v.BrokerID, stat, nil
}

// ControllerEpoch returns the current controller epoch (0 when none yet).
func (c *Client) ControllerEpoch(ctx context.Context) (int32, error) {
	data, _, err := c.store.Get(ctx, controllerEpochPath)
	if isNoNode(err) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return znode.DecodeControllerEpoch(controllerEpochPath, data)
}
