package daemon

import (
	"context"
	"fmt"

	"github.com/kqhq/kq/daemon/authz"
	"github.com/kqhq/kq/daemon/kafkazk"
)

// newAuthorizer returns the authorizer with every ACL loaded, or nil when
// authorizer.class.name is empty (everything allowed). A broker never
// serves a request before the ACLs are read.
func (d *Daemon) newAuthorizer(ctx context.Context, zk *kafkazk.Client) (*authz.Authorizer, error) {
	if !d.cfg.AuthorizerEnabled() {
		return nil, nil
	}
	a := authz.New(authz.Config{SuperUsers: d.cfg.SuperUsers, AllowEveryoneIfNoACLFound: d.cfg.AllowEveryoneIfNoACLFound})
	if err := zk.EnsureACLPaths(ctx); err != nil {
		return nil, err
	}
	acls, err := zk.LoadACLs(ctx)
	if err != nil {
		return nil, fmt.Errorf("load ACLs: %w", err)
	}
	a.Reset(acls)
	d.log.Info("authorizer started", "class", d.cfg.AuthorizerClassName, "acls", a.Snapshot().Len(),
		"super.users", d.cfg.SuperUsers, "allow.everyone.if.no.acl.found", d.cfg.AllowEveryoneIfNoACLFound)
	return a, nil
}

// watchACLs keeps the authorizer's cache current for one metadata
// session: it reads every ACL (changes may have been missed while the
// previous session was down), then re-reads each pattern a change
// notification names and swaps in a new snapshot.
func (d *Daemon) watchACLs(ctx context.Context, zk *kafkazk.Client) {
	a := d.authorizer
	if a == nil {
		return
	}
	// Take the cursor before loading, so a change made in between is
	// applied again rather than missed.
	_, cur, wake, err := zk.ACLChanges(ctx, kafkazk.ACLChangeCursor{})
	var acls map[authz.Pattern][]authz.Entry
	if err == nil {
		acls, err = zk.LoadACLs(ctx)
	}
	if err != nil {
		d.log.Warn("ACL change notifications unavailable; ACLs stay as last read", "err", err)
		return
	}
	a.Reset(acls)
	for {
		select {
		case <-wake:
		case <-ctx.Done():
			return
		}
		var changed []authz.Pattern
		changed, cur, wake, err = zk.ACLChanges(ctx, cur)
		if err == nil {
			err = d.applyACLChanges(ctx, zk, changed)
		}
		if err != nil {
			d.log.Warn("ACL change notifications unavailable; ACLs stay as last read", "err", err)
			return
		}
	}
}

// applyACLChanges re-reads the changed patterns and installs the result.
func (d *Daemon) applyACLChanges(ctx context.Context, zk *kafkazk.Client, changed []authz.Pattern) error {
	if len(changed) == 0 {
		return nil
	}
	update := map[authz.Pattern][]authz.Entry{}
	for _, p := range changed {
		entries, _, err := zk.ACLs(ctx, p)
		if err != nil {
			return err
		}
		update[p] = entries
		d.log.Info("ACLs updated", "resource", p.String(), "acls", len(entries))
	}
	d.authorizer.Update(update)
	return nil
}
