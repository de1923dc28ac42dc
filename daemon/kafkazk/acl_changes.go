package kafkazk

import (
	"context"
	"fmt"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/authz"
	"github.com/kqhq/kq/store/meta/znode"
)

type kmsgPatternType = kmsg.ACLResourcePatternType

const (
	kmsgLiteral  = kmsg.ACLResourcePatternTypeLiteral
	kmsgPrefixed = kmsg.ACLResourcePatternTypePrefixed
)

// ACLChangeCursor is how far a broker has read the two ACL change
// notification paths.
type ACLChangeCursor struct{ Literal, Extended string }

// ACLChanges returns the patterns named by notifications after cur, the
// new cursor, and a channel closed when either path gets a new one.
// Notifications that do not decode are logged and skipped.
func (c *Client) ACLChanges(ctx context.Context, cur ACLChangeCursor) ([]authz.Pattern, ACLChangeCursor, <-chan struct{}, error) {
	lit, litLast, litCh, err := c.aclChanges(ctx, znode.ACLChangesPath, cur.Literal, c.decodeLiteralChange)
	if err != nil {
		return nil, cur, nil, err
	}
	ext, extLast, extCh, err := c.aclChanges(ctx, znode.ExtendedACLChangesPath, cur.Extended, c.decodeExtendedChange)
	if err != nil {
		return nil, cur, nil, err
	}
	wake := make(chan struct{})
	go func() {
		select {
		case <-litCh:
		case <-extCh:
		}
		close(wake)
	}()
	return append(lit, ext...), ACLChangeCursor{litLast, extLast}, wake, nil
}

func (c *Client) aclChanges(ctx context.Context, dir, last string, decode func(path string, data []byte) (authz.Pattern, error)) ([]authz.Pattern, string, <-chan struct{}, error) {
	names, _, ch, err := c.store.ChildrenW(ctx, dir)
	if err != nil {
		return nil, last, nil, fmt.Errorf("list %s: %w", dir, err)
	}
	var out []authz.Pattern
	for _, n := range names {
		if n <= last {
			continue
		}
		last = n
		path := dir + "/" + n
		data, _, err := c.store.Get(ctx, path)
		if isNoNode(err) {
			continue
		}
		if err != nil {
			return out, last, fired(ch), fmt.Errorf("read %s: %w", path, err)
		}
		p, err := decode(path, data)
		if err != nil {
			c.log.Warn("skipping malformed ACL change notification", "path", path, "err", err)
			continue
		}
		out = append(out, p)
	}
	c.purgeExpired(ctx, dir, names)
	return out, last, fired(ch), nil
}

func (c *Client) decodeLiteralChange(path string, data []byte) (authz.Pattern, error) {
	typName, name, err := znode.DecodeACLChange(path, data)
	if err != nil {
		return authz.Pattern{}, err
	}
	typ, err := authz.ParseResourceType(typName)
	if err != nil {
		return authz.Pattern{}, fmt.Errorf("%s: %w", path, err)
	}
	return authz.Pattern{Type: typ, Name: name, PatternType: kmsgLiteral}, nil
}

func (c *Client) decodeExtendedChange(path string, data []byte) (authz.Pattern, error) {
	ch, err := znode.DecodeExtendedACLChange(path, data)
	if err != nil {
		return authz.Pattern{}, err
	}
	typ, err := authz.ParseResourceType(ch.ResourceType)
	if err != nil {
		return authz.Pattern{}, fmt.Errorf("%s: %w", path, err)
	}
	pt, err := kmsg.ParseACLResourcePatternType(ch.PatternType)
	if err != nil || pt != kmsgPrefixed {
		return authz.Pattern{}, fmt.Errorf("%s: pattern type %q", path, ch.PatternType)
	}
	return authz.Pattern{Type: typ, Name: ch.Name, PatternType: pt}, nil
}
