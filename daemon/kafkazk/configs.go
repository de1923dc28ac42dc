package kafkazk

import (
	"context"
	"fmt"

	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/znode"
)

// EntityConfig returns the dynamic configs of an entity (topics/<name>,
// brokers/<id> or brokers/<default>); an entity without a znode has none.
func (c *Client) EntityConfig(ctx context.Context, entityType, name string) (map[string]string, error) {
	path := configPath(entityType, name)
	data, _, err := c.store.Get(ctx, path)
	if isNoNode(err) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	cfg, err := znode.DecodeConfig(path, data)
	if err != nil {
		return nil, err
	}
	if cfg == nil {
		cfg = map[string]string{}
	}
	return cfg, nil
}

// SetEntityConfig replaces an entity's dynamic configs and writes a change
// notification so every broker reloads them.
func (c *Client) SetEntityConfig(ctx context.Context, entityType, name string, cfg map[string]string) error {
	if cfg == nil {
		cfg = map[string]string{}
	}
	path := configPath(entityType, name)
	data := znode.EncodeConfig(cfg)
	_, err := c.store.Set(ctx, path, data, meta.AnyVersion)
	if isNoNode(err) {
		_, err = meta.CreateRecursive(ctx, c.store, path, data, meta.Persistent)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	change := znode.ConfigChange{EntityType: entityType, EntityName: name}.Encode()
	if _, err := meta.CreateRecursive(ctx, c.store, znode.ConfigChangeSeqPrefix, change, meta.PersistentSequential); err != nil {
		return fmt.Errorf("notify config change of %s/%s: %w", entityType, name, err)
	}
	return nil
}

// ConfigChange names an entity whose configs changed.
type ConfigChange struct {
	EntityType, Name string
}

// ConfigChanges returns the notifications after the one named last (""
// for all), the name of the newest, and a watch on new ones.
func (c *Client) ConfigChanges(ctx context.Context, last string) ([]ConfigChange, string, <-chan struct{}, error) {
	names, _, ch, err := c.store.ChildrenW(ctx, configChangesPath)
	if err != nil {
		return nil, last, nil, fmt.Errorf("list %s: %w", configChangesPath, err)
	}
	var out []ConfigChange
	for _, n := range names {
		if n <= last {
			continue
		}
		last = n
		path := configChangesPath + "/" + n
		data, _, err := c.store.Get(ctx, path)
		if isNoNode(err) {
			continue
		}
		if err != nil {
			return out, last, fired(ch), fmt.Errorf("read %s: %w", path, err)
		}
		v, err := znode.DecodeConfigChange(path, data)
		if err != nil {
			c.log.Warn("skipping malformed config change notification", "path", path, "err", err)
			continue
		}
		out = append(out, ConfigChange{EntityType: v.EntityType, Name: v.EntityName})
	}
	c.purgeExpired(ctx, configChangesPath, names)
	return out, last, fired(ch), nil
}
