package acls

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/zkconn"
	"github.com/kqhq/kq/daemon/authz"
	"github.com/kqhq/kq/daemon/kafkazk"
)

// store is where the ACLs are: the brokers' ACL APIs or ZooKeeper.
type store interface {
	List(ctx context.Context, f authz.Filter) ([]authz.Binding, error)
	Add(ctx context.Context, bs []authz.Binding) error
	Remove(ctx context.Context, fs []authz.Filter) ([]authz.Binding, error)
}

// aclAdmin is the part of *admin.Client the brokers' store needs.
type aclAdmin interface {
	DescribeACLs(ctx context.Context, f admin.ACLFilter) ([]admin.ACL, error)
	CreateACLs(ctx context.Context, acls []admin.ACL) error
	DeleteACLs(ctx context.Context, filters []admin.ACLFilter) ([]admin.ACL, error)
}

// zooKeeperTimeout bounds the connection to ZooKeeper and is the session
// timeout of the command's short session.
const zooKeeperTimeout = 10 * time.Second

// zkFlags are --zookeeper and kafka-acls.sh's --authorizer-properties.
type zkFlags struct {
	connect string
	props   []string
	tlsFile string // --zk-tls-config-file
}

func (z *zkFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&z.connect, "zookeeper", "", "Work on the ACLs in ZooKeeper directly, not through a broker: `host:port[,host:port][/chroot]`")
	fl.StringArrayVar(&z.props, "authorizer-properties", nil, "kafka-acls.sh's way to name ZooKeeper: zookeeper.connect=host:port[/chroot]")
	zkconn.AddFlag(fl, &z.tlsFile)
}

// zooKeeper returns the connect string, "" to go through the brokers.
func (z *zkFlags) zooKeeper(cmd *cobra.Command) (string, error) {
	connect := z.connect
	for _, p := range z.props {
		k, v, ok := strings.Cut(p, "=")
		if !ok || strings.TrimSpace(k) != "zookeeper.connect" {
			return "", clierr.Usagef("--authorizer-properties %q: only zookeeper.connect=host:port is understood", p)
		}
		connect = strings.TrimSpace(v)
	}
	if connect != "" && cmd.Flags().Changed("bootstrap-server") {
		return "", clierr.Usagef("Only one of --bootstrap-server or --zookeeper must be specified")
	}
	return connect, nil
}

// storeFrom returns the store the flags name, opened on first use.
func storeFrom(cmd *cobra.Command, f *factory.Factory, z *zkFlags) func() (store, error) {
	return func() (store, error) {
		connect, err := z.zooKeeper(cmd)
		if err != nil {
			return nil, err
		}
		if err := zkconn.RequireConnect(z.tlsFile, connect); err != nil {
			return nil, err
		}
		if connect != "" {
			return dialZooKeeper(cmd.Context(), f, connect, z.tlsFile)
		}
		a, err := f.Admin()
		if err != nil {
			return nil, err
		}
		aa, ok := a.(aclAdmin)
		if !ok {
			return nil, errors.New("this admin client cannot manage ACLs")
		}
		return brokerStore{aa}, nil
	}
}

func dialZooKeeper(ctx context.Context, f *factory.Factory, connect, tlsFile string) (store, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	s, err := zkconn.Dial(ctx, connect, tlsFile, zooKeeperTimeout, f.IOStreams.ErrOut)
	if err != nil {
		return nil, err
	}
	f.OnClose(func() { _ = s.Close() })
	zk := kafkazk.New(s, slog.New(slog.NewTextHandler(f.IOStreams.ErrOut, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err := zk.EnsureACLPaths(ctx); err != nil {
		return nil, err
	}
	return zkStore{zk}, nil
}

// brokerStore goes through the brokers' ACL APIs.
type brokerStore struct{ a aclAdmin }

func (b brokerStore) List(ctx context.Context, f authz.Filter) ([]authz.Binding, error) {
	acls, err := b.a.DescribeACLs(ctx, toAdminFilter(f))
	return fromAdmin(acls), err
}

func (b brokerStore) Add(ctx context.Context, bs []authz.Binding) error {
	acls := make([]admin.ACL, len(bs))
	for i, x := range bs {
		acls[i] = admin.ACL{ResourceType: x.Pattern.Type, ResourceName: x.Pattern.Name, PatternType: x.Pattern.PatternType,
			Principal: x.Entry.Principal, Host: x.Entry.Host, Operation: x.Entry.Operation, Permission: x.Entry.Permission}
	}
	return b.a.CreateACLs(ctx, acls)
}

func (b brokerStore) Remove(ctx context.Context, fs []authz.Filter) ([]authz.Binding, error) {
	filters := make([]admin.ACLFilter, len(fs))
	for i, f := range fs {
		filters[i] = toAdminFilter(f)
	}
	acls, err := b.a.DeleteACLs(ctx, filters)
	return fromAdmin(acls), err
}

func toAdminFilter(f authz.Filter) admin.ACLFilter {
	return admin.ACLFilter{ResourceType: f.Type, ResourceName: f.Name, PatternType: f.PatternType,
		Principal: f.Principal, Host: f.Host, Operation: f.Operation, Permission: f.Permission}
}

func fromAdmin(acls []admin.ACL) []authz.Binding {
	out := make([]authz.Binding, len(acls))
	for i, a := range acls {
		out[i] = authz.Binding{
			Pattern: authz.Pattern{Type: a.ResourceType, Name: a.ResourceName, PatternType: a.PatternType},
			Entry:   authz.Entry{Principal: a.Principal, Host: a.Host, Operation: a.Operation, Permission: a.Permission},
		}
	}
	return out
}

// zkStore writes the znodes directly, as kafka-acls.sh with
// --authorizer-properties zookeeper.connect did; the brokers follow the
// change notifications it writes.
type zkStore struct{ zk *kafkazk.Client }

func (z zkStore) List(ctx context.Context, f authz.Filter) ([]authz.Binding, error) {
	acls, err := z.zk.LoadACLs(ctx)
	if err != nil {
		return nil, err
	}
	return authz.NewSnapshot(acls).Bindings(f), nil
}

func (z zkStore) Add(ctx context.Context, bs []authz.Binding) error {
	for _, b := range bs {
		if err := b.Validate(); err != nil {
			return clierr.Usage(err)
		}
	}
	for p, entries := range byPattern(bs) {
		_, err := z.zk.UpdateACLs(ctx, p, func(cur []authz.Entry) []authz.Entry {
			for _, e := range entries {
				if !containsEntry(cur, e) {
					cur = append(cur, e)
				}
			}
			return cur
		})
		if err != nil {
			return fmt.Errorf("add ACLs to %v: %w", p, err)
		}
	}
	return nil
}

func (z zkStore) Remove(ctx context.Context, fs []authz.Filter) ([]authz.Binding, error) {
	var matched []authz.Binding
	for _, f := range fs {
		bs, err := z.List(ctx, f)
		if err != nil {
			return matched, err
		}
		matched = append(matched, bs...)
	}
	var removed []authz.Binding
	for p, entries := range byPattern(matched) {
		_, err := z.zk.UpdateACLs(ctx, p, func(cur []authz.Entry) []authz.Entry {
			out := cur[:0]
			for _, e := range cur {
				if !containsEntry(entries, e) {
					out = append(out, e)
				}
			}
			return out
		})
		if err != nil {
			return removed, fmt.Errorf("remove ACLs of %v: %w", p, err)
		}
		for _, e := range entries {
			removed = append(removed, authz.Binding{Pattern: p, Entry: e})
		}
	}
	return removed, nil
}

func byPattern(bs []authz.Binding) map[authz.Pattern][]authz.Entry {
	out := map[authz.Pattern][]authz.Entry{}
	for _, b := range bs {
		if !containsEntry(out[b.Pattern], b.Entry) {
			out[b.Pattern] = append(out[b.Pattern], b.Entry)
		}
	}
	return out
}

func containsEntry(entries []authz.Entry, e authz.Entry) bool {
	for _, x := range entries {
		if x == e {
			return true
		}
	}
	return false
}
