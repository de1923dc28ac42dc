package kafkazk

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/znode"
)

// Client quota entities live where Kafka's AdminZkClient keeps them:
// /config/users/<u>, /config/users/<u>/clients/<c> and /config/clients/<c>,
// names sanitized, <default> for the default entity. A user's node also
// holds its SCRAM credentials, so quota writes change only the keys they
// name (UpdateEntityConfig).

// clientsChild is the segment between a user and its client ids.
const clientsChild = "clients"

// QuotaEntityConfig is one user, client-id or user+client-id entity's
// config: User and ClientID are path segments (sanitized, or <default>),
// "" for the part the entity does not name.
type QuotaEntityConfig struct {
	User, ClientID string
	Config         map[string]string
}

// UserClientEntityName is the entity name of user+client-id below
// /config/users, as change notifications spell it.
func UserClientEntityName(user, clientID string) string {
	return user + "/" + clientsChild + "/" + clientID
}

// ParseQuotaEntity reads a change notification's users or clients entity
// name back into its user and client id segments.
func ParseQuotaEntity(entityType, name string) (user, clientID string, ok bool) {
	switch entityType {
	case znode.ConfigTypeClient:
		return "", name, name != "" && !strings.Contains(name, "/")
	case znode.ConfigTypeUser:
		u, rest, nested := strings.Cut(name, "/")
		if !nested {
			return name, "", name != ""
		}
		c, found := strings.CutPrefix(rest, clientsChild+"/")
		return u, c, found && u != "" && c != "" && !strings.Contains(c, "/")
	}
	return "", "", false
}

// QuotaEntityConfigs reads every user, client-id and user+client-id
// entity's config. Malformed nodes are logged and skipped: one bad node
// must not hide the others.
func (c *Client) QuotaEntityConfigs(ctx context.Context) ([]QuotaEntityConfig, error) {
	users, err := c.childrenOrNone(ctx, znode.ConfigEntityTypePath(znode.ConfigTypeUser))
	if err != nil {
		return nil, err
	}
	var out []QuotaEntityConfig
	for _, u := range users {
		out = c.appendQuotaEntity(ctx, out, znode.ConfigTypeUser, u, u, "")
		clients, err := c.childrenOrNone(ctx, znode.ConfigEntityPath(znode.ConfigTypeUser, u+"/"+clientsChild))
		if err != nil {
			return nil, err
		}
		for _, cl := range clients {
			out = c.appendQuotaEntity(ctx, out, znode.ConfigTypeUser, UserClientEntityName(u, cl), u, cl)
		}
	}
	clients, err := c.childrenOrNone(ctx, znode.ConfigEntityTypePath(znode.ConfigTypeClient))
	if err != nil {
		return nil, err
	}
	for _, cl := range clients {
		out = c.appendQuotaEntity(ctx, out, znode.ConfigTypeClient, cl, "", cl)
	}
	return out, nil
}

func (c *Client) appendQuotaEntity(ctx context.Context, out []QuotaEntityConfig, typ, name, user, client string) []QuotaEntityConfig {
	cfg, err := c.EntityConfig(ctx, typ, name)
	if err != nil {
		c.log.Warn("skipping unreadable quota entity", "entity", typ+"/"+name, "err", err)
		return out
	}
	return append(out, QuotaEntityConfig{User: user, ClientID: client, Config: cfg})
}

func (c *Client) childrenOrNone(ctx context.Context, path string) ([]string, error) {
	names, _, err := c.store.Children(ctx, path)
	if isNoNode(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", path, err)
	}
	return names, nil
}

// UpdateEntityConfig changes an entity's config with update, retried when
// another writer (SCRAM credentials on the same user node) got in between,
// then writes a change notification. update gets the current config and
// changes it in place; an error from it is returned as is.
func (c *Client) UpdateEntityConfig(ctx context.Context, entityType, name string, update func(map[string]string) error) error {
	path := configPath(entityType, name)
	for {
		cfg, version, err := c.readEntityConfig(ctx, path)
		if err != nil {
			return err
		}
		if err := update(cfg); err != nil {
			return err
		}
		data := znode.EncodeConfig(cfg)
		if version < 0 {
			_, err = meta.CreateRecursive(ctx, c.store, path, data, meta.Persistent)
		} else {
			_, err = c.store.Set(ctx, path, data, version)
		}
		if isBadVersion(err) || isExists(err) {
			continue // a concurrent writer: read its config and apply again
		}
		if err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		return c.notifyConfigChange(ctx, entityType, name)
	}
}

// readEntityConfig reads a config node and its version, -1 when absent.
func (c *Client) readEntityConfig(ctx context.Context, path string) (map[string]string, int32, error) {
	data, stat, err := c.store.Get(ctx, path)
	if isNoNode(err) {
		return map[string]string{}, -1, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("read %s: %w", path, err)
	}
	cfg, err := znode.DecodeConfig(path, data)
	if err != nil {
		return nil, 0, err
	}
	if cfg == nil {
		cfg = map[string]string{}
	}
	return cfg, stat.Version, nil
}

func (c *Client) notifyConfigChange(ctx context.Context, entityType, name string) error {
	change := znode.ConfigChange{EntityType: entityType, EntityName: name}.Encode()
	if _, err := meta.CreateRecursive(ctx, c.store, znode.ConfigChangeSeqPrefix, change, meta.PersistentSequential); err != nil {
		return fmt.Errorf("notify config change of %s/%s: %w", entityType, name, err)
	}
	return nil
}

// errNotQuotaEntity is QuotaEntityPath's refusal of an entity naming neither
// a user nor a client id.
var errNotQuotaEntity = errors.New("not a user or client-id entity")

// QuotaEntityPath is the config entity type and name of a quota entity,
// as EntityConfig and UpdateEntityConfig take them.
func QuotaEntityPath(user, clientID string) (entityType, name string, err error) {
	switch {
	case user != "" && clientID != "":
		return znode.ConfigTypeUser, UserClientEntityName(user, clientID), nil
	case user != "":
		return znode.ConfigTypeUser, user, nil
	case clientID != "":
		return znode.ConfigTypeClient, clientID, nil
	}
	return "", "", errNotQuotaEntity
}
