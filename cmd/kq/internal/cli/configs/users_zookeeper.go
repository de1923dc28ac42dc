package configs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/zkconn"
	"github.com/kqhq/kq/daemon/kafkazk"
)

// zooKeeperTimeout bounds the connection to ZooKeeper and is the session
// timeout of the short session the command holds.
const zooKeeperTimeout = 10 * time.Second

// zooKeeperUsers reads and writes users' credentials in ZooKeeper, as
// kafka-configs --zookeeper does: the credential is derived here and only
// its stored form (salt, StoredKey, ServerKey, iterations) is written.
type zooKeeperUsers struct{ zk *kafkazk.Client }

// zkTarget is --zookeeper and --zk-tls-config-file.
type zkTarget struct{ connect, tlsFile string }

func dialZooKeeperUsers(f *factory.Factory, zk zkTarget) (*zooKeeperUsers, error) {
	s, err := zkconn.Dial(context.Background(), zk.connect, zk.tlsFile, zooKeeperTimeout, f.IOStreams.ErrOut)
	if err != nil {
		return nil, err
	}
	f.OnClose(func() { _ = s.Close() })
	return &zooKeeperUsers{zk: kafkazk.New(s, slog.New(slog.DiscardHandler))}, nil
}

func (z *zooKeeperUsers) DescribeUserScram(ctx context.Context, users ...string) ([]admin.UserScram, error) {
	all := len(users) == 0
	if all {
		var err error
		if users, err = z.zk.Users(ctx); err != nil {
			return nil, err
		}
	}
	var out []admin.UserScram
	for _, u := range users {
		cfg, err := z.zk.UserConfig(ctx, u)
		if err != nil {
			return nil, err
		}
		us := admin.UserScram{User: u}
		for _, m := range kafkazk.ScramMechanisms {
			if v, ok := cfg[m.Name]; ok {
				cred, err := kafkazk.ParseScramCredential(v)
				if err != nil {
					us.Err = fmt.Errorf("%s: %w", m.Name, err)
					break
				}
				us.Credentials = append(us.Credentials, admin.ScramCredentialInfo{Mechanism: m.Name, Iterations: cred.Iterations})
			}
		}
		switch {
		case us.Err == nil && len(us.Credentials) == 0 && all:
			continue // a user with quotas only
		case us.Err == nil && len(us.Credentials) == 0:
			us.Err = fmt.Errorf("%w: Attempt to describe a user credential that does not exist: %s", kerr.ResourceNotFound, u)
		}
		out = append(out, us)
	}
	return out, nil
}

func (z *zooKeeperUsers) AlterUserScram(ctx context.Context, user string, upserts []admin.ScramUpsert, deletes []string) error {
	cfg, err := z.zk.UserConfig(ctx, user)
	if err != nil {
		return err
	}
	cfg = maps.Clone(cfg)
	for _, m := range deletes {
		if _, ok := cfg[m]; !ok {
			return errors.New("Invalid config(s): " + m)
		}
		delete(cfg, m)
	}
	for _, up := range upserts {
		m, ok := kafkazk.ScramMechanismNamed(up.Mechanism)
		if !ok {
			return fmt.Errorf("unknown SCRAM mechanism %s", up.Mechanism)
		}
		cred, err := m.NewCredential(up.Password, up.Iterations)
		if err != nil {
			return err
		}
		cfg[m.Name] = cred.String()
	}
	return z.zk.SetUserConfig(ctx, user, cfg)
}
