package admintest

import (
	"context"
	"slices"
	"sort"

	"github.com/kqhq/kq/admin"
)

// DescribeUserScram lists the users' SCRAM mechanisms and iterations, every
// user with credentials when none are named.
func (c *Cluster) DescribeUserScram(_ context.Context, users ...string) ([]admin.UserScram, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(users) == 0 {
		for u := range c.scram {
			users = append(users, u)
		}
		sort.Strings(users)
	}
	out := make([]admin.UserScram, 0, len(users))
	for _, u := range users {
		out = append(out, admin.UserScram{User: u, Credentials: slices.Clone(c.scram[u])})
	}
	return out, nil
}

// AlterUserScram upserts and deletes a user's credentials (mechanism and
// iterations only: the fake keeps no secret).
func (c *Cluster) AlterUserScram(_ context.Context, user string, upserts []admin.ScramUpsert, deletes []string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.scram == nil {
		c.scram = map[string][]admin.ScramCredentialInfo{}
	}
	creds := slices.DeleteFunc(c.scram[user], func(i admin.ScramCredentialInfo) bool {
		if slices.Contains(deletes, i.Mechanism) {
			return true
		}
		return slices.ContainsFunc(upserts, func(u admin.ScramUpsert) bool { return u.Mechanism == i.Mechanism })
	})
	for _, u := range upserts {
		creds = append(creds, admin.ScramCredentialInfo{Mechanism: u.Mechanism, Iterations: u.Iterations})
	}
	c.scram[user] = creds
	if len(creds) == 0 {
		delete(c.scram, user)
	}
	return nil
}
