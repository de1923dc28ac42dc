package kafkazk

import (
	"context"
	"fmt"
	"slices"

	"github.com/kqhq/kq/daemon/authz"
	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/znode"
)

// prefixedPatternDir is the one non-literal pattern directory Kafka
// writes under /kafka-acl-extended.
const prefixedPatternDir = "prefixed"

// aclPath is where a pattern's ACLs live, as Kafka's ZkAclStore keeps
// them: literal patterns under /kafka-acl, prefixed ones under
// /kafka-acl-extended/prefixed.
func aclPath(p authz.Pattern) string {
	typ := authz.ResourceTypeName(p.Type)
	if p.PatternType == kmsgLiteral {
		return znode.ACLResourcePath(typ, p.Name)
	}
	return znode.ExtendedACLResourcePath(prefixedPatternDir, typ, p.Name)
}

// EnsureACLPaths creates the ACL and change-notification parents, as
// Kafka's AclAuthorizer does when it starts.
func (c *Client) EnsureACLPaths(ctx context.Context) error {
	for _, p := range []string{znode.ACLChangesPath, znode.ExtendedACLChangesPath} {
		if err := meta.EnsurePath(ctx, c.store, p); err != nil {
			return fmt.Errorf("create %s: %w", p, err)
		}
	}
	return nil
}

// LoadACLs reads every ACL. A node that does not decode is logged and
// left out: a malformed ACL never grants.
func (c *Client) LoadACLs(ctx context.Context) (map[authz.Pattern][]authz.Entry, error) {
	out := map[authz.Pattern][]authz.Entry{}
	roots := map[kmsgPatternType]string{
		kmsgLiteral:  znode.ACLPath,
		kmsgPrefixed: znode.ExtendedACLPath + "/" + prefixedPatternDir,
	}
	for pt, root := range roots {
		if err := c.loadACLTree(ctx, root, pt, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (c *Client) loadACLTree(ctx context.Context, root string, pt kmsgPatternType, out map[authz.Pattern][]authz.Entry) error {
	types, err := c.children(ctx, root)
	if err != nil {
		return err
	}
	for _, typName := range types {
		typ, err := authz.ParseResourceType(typName)
		if err != nil {
			c.log.Warn("ignoring ACLs of an unknown resource type", "path", root+"/"+typName)
			continue
		}
		names, err := c.children(ctx, root+"/"+typName)
		if err != nil {
			return err
		}
		for _, name := range names {
			p := authz.Pattern{Type: typ, Name: name, PatternType: pt}
			entries, _, err := c.ACLs(ctx, p)
			if err != nil {
				return err
			}
			if len(entries) > 0 {
				out[p] = entries
			}
		}
	}
	return nil
}

func (c *Client) children(ctx context.Context, path string) ([]string, error) {
	names, _, err := c.store.Children(ctx, path)
	if isNoNode(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", path, err)
	}
	return names, nil
}

// ACLs reads one pattern's ACLs and the node's version (-1 when there is
// no node). Entries that do not parse, or a node that does not decode,
// are logged and left out.
func (c *Client) ACLs(ctx context.Context, p authz.Pattern) ([]authz.Entry, int32, error) {
	path := aclPath(p)
	data, stat, err := c.store.Get(ctx, path)
	if isNoNode(err) {
		return nil, -1, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("read %s: %w", path, err)
	}
	acls, err := znode.DecodeACLs(path, data)
	if err != nil {
		c.log.Warn("ignoring malformed ACL node", "path", path, "err", err)
		return nil, stat.Version, nil
	}
	entries := make([]authz.Entry, 0, len(acls))
	for _, a := range acls {
		e, err := entryFromZnode(a)
		if err == nil {
			err = e.Validate(p.Type)
		}
		if err != nil {
			c.log.Warn("ignoring malformed ACL", "path", path, "err", err)
			continue
		}
		entries = append(entries, e)
	}
	return entries, stat.Version, nil
}

func entryFromZnode(a znode.ACL) (authz.Entry, error) {
	op, err := authz.ParseOperation(a.Operation)
	if err != nil {
		return authz.Entry{}, err
	}
	perm, err := authz.ParsePermission(a.PermissionType)
	if err != nil {
		return authz.Entry{}, err
	}
	return authz.Entry{Principal: a.Principal, Host: a.Host, Operation: op, Permission: perm}, nil
}

func entryToZnode(e authz.Entry) znode.ACL {
	return znode.ACL{Principal: e.Principal, PermissionType: authz.PermissionName(e.Permission),
		Operation: authz.OperationName(e.Operation), Host: e.Host}
}

// UpdateACLs rewrites a pattern's ACLs with edit's result (deleting the
// node when none are left) and notifies every broker, retrying when the
// node changed under it. It returns what the node holds afterwards.
func (c *Client) UpdateACLs(ctx context.Context, p authz.Pattern, edit func([]authz.Entry) []authz.Entry) ([]authz.Entry, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	path := aclPath(p)
	if err := meta.ValidatePath(path); err != nil {
		return nil, fmt.Errorf("%w: %v", authz.ErrInvalid, err)
	}
	for ctx.Err() == nil {
		old, version, err := c.ACLs(ctx, p)
		if err != nil {
			return nil, err
		}
		next := edit(slices.Clone(old))
		if slices.Equal(old, next) {
			return next, nil
		}
		err = c.writeACLs(ctx, path, version, next)
		if isBadVersion(err) || isExists(err) || (isNoNode(err) && version >= 0) {
			continue // raced with another writer: edit what is there now
		}
		if err != nil {
			return nil, err
		}
		return next, c.notifyACLChange(ctx, p)
	}
	return nil, ctx.Err()
}

func (c *Client) writeACLs(ctx context.Context, path string, version int32, entries []authz.Entry) error {
	if len(entries) == 0 {
		return c.store.Delete(ctx, path, version)
	}
	acls := make([]znode.ACL, len(entries))
	for i, e := range entries {
		acls[i] = entryToZnode(e)
	}
	data := znode.EncodeACLs(acls)
	if version < 0 {
		_, err := meta.CreateRecursive(ctx, c.store, path, data, meta.Persistent)
		return err
	}
	_, err := c.store.Set(ctx, path, data, version)
	return err
}

// notifyACLChange writes the change notification every broker's
// authorizer watches: "Type:name" under /kafka-acl-changes for literal
// patterns, JSON under /kafka-acl-extended-changes for the others.
func (c *Client) notifyACLChange(ctx context.Context, p authz.Pattern) error {
	typ := authz.ResourceTypeName(p.Type)
	prefix, data := znode.ACLChangeSeqPrefix, znode.EncodeACLChange(typ, p.Name)
	if p.PatternType != kmsgLiteral {
		prefix = znode.ExtendedACLChangeSeqPrefix
		data = znode.ExtendedACLChange{ResourceType: p.Type.String(), Name: p.Name, PatternType: p.PatternType.String()}.Encode()
	}
	if _, err := meta.CreateRecursive(ctx, c.store, prefix, data, meta.PersistentSequential); err != nil {
		return fmt.Errorf("notify ACL change of %v: %w", p, err)
	}
	return nil
}
