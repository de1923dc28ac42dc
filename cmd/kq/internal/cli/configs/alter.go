package configs

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/spf13/cobra"
	"github.com/twmb/franz-go/pkg/kerr"
)

// AlterOptions are the inputs of `kq configs alter`.
type AlterOptions struct {
	IO     *iostreams.IOStreams
	Admin  func() (configsAdmin, error)
	Entity Entity
	Set    map[string]string
	Delete []string
}

// NewCmdAlter returns `kq configs alter TYPE [NAME]`.
func NewCmdAlter(f *factory.Factory, runF func(context.Context, *AlterOptions) error,
	usersF func(context.Context, *UsersOptions) error, zk *zkTarget) *cobra.Command {
	opts := &AlterOptions{IO: f.IOStreams, Admin: adminFrom(f)}
	var add, addFile string
	var del []string
	var isDefault bool
	cmd := &cobra.Command{
		Use:   "alter (topics|brokers|users) [NAME] [--add-config k=v,...] [--delete-config k,...]",
		Short: "Set or remove dynamic configs of a topic or broker",
		Example: "  kq configs alter topic orders --add-config retention.ms=86400000,cleanup.policy=[compact,delete]\n" +
			"  kq configs alter topic orders --delete-config retention.ms\n" +
			"  kq configs alter brokers --entity-default --add-config log.cleaner.threads=2\n" +
			"  kq configs --alter --entity-type topics --entity-name orders --add-config retention.ms=1000\n" +
			"  kq configs alter users alice --add-config 'SCRAM-SHA-512=[password=alice-secret]'",
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if isUsersType(args[0]) {
				return alterUsersRun(cmd, f, usersF, *zk, argAt(args, 1), add, addFile, del)
			}
			typ, err := parseEntityType(args[0])
			if err != nil {
				return err
			}
			if err := opts.fill(typ, argAt(args, 1), isDefault, add, addFile, del); err != nil {
				return err
			}
			return run(cmd.Context(), opts, runF, alterRun)
		},
		ValidArgsFunction: completeEntity(f),
	}
	addAlterFlags(cmd, &add, &addFile, &del)
	cmd.Flags().BoolVar(&isDefault, "entity-default", false, "The cluster-wide broker default (brokers only)")
	return cmd
}

func addAlterFlags(cmd *cobra.Command, add, addFile *string, del *[]string) {
	fl := cmd.Flags()
	fl.StringVar(add, "add-config", "", "Configs to set: `k1=v1,k2=[v2a,v2b]` (brackets group values with commas)")
	fl.StringVar(addFile, "add-config-file", "", "Properties `file` of configs to set")
	fl.StringArrayVar(del, "delete-config", nil, "Configs to remove: `k1,k2` (repeatable)")
	_ = cmd.MarkFlagFilename("add-config-file", "properties")
}

// fill parses and checks the alteration; both spellings go through it.
func (o *AlterOptions) fill(typ admin.ResourceType, name string, isDefault bool, add, addFile string, del []string) error {
	var err error
	if o.Entity, err = newEntity(typ, name, isDefault); err != nil {
		return err
	}
	if o.Entity.Name == "" && !o.Entity.Default {
		return clierr.Usagef("an entity name is required to alter configs (or --entity-default for brokers)")
	}
	if o.Set, err = parseAddConfig(add); err != nil {
		return clierr.Usage(err)
	}
	if addFile != "" {
		fileProps, err := admin.LoadProperties(addFile)
		if err != nil {
			return clierr.Usage(err)
		}
		for k, v := range fileProps {
			o.Set[k] = v
		}
	}
	o.Delete = parseDeleteConfig(del)
	if len(o.Set) == 0 && len(o.Delete) == 0 {
		return clierr.Usagef("nothing to change: give --add-config, --add-config-file or --delete-config")
	}
	return nil
}

func alterRun(ctx context.Context, opts *AlterOptions) error {
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	res := opts.Entity.resource()
	if len(opts.Delete) > 0 {
		if err := checkDeletable(ctx, a, opts.Entity, opts.Delete); err != nil {
			return err
		}
	}
	if err := a.AlterConfigs(ctx, res, opts.changes()); err != nil {
		if errors.Is(err, kerr.UnknownTopicOrPartition) {
			return clierr.NotFoundf("alter configs: %s '%s' does not exist", opts.Entity.typeWord(), opts.Entity.Name)
		}
		return err
	}
	if opts.Entity.Default {
		_, err = fmt.Fprintln(opts.IO.Out, "Completed updating default config for brokers in the cluster.")
	} else {
		_, err = fmt.Fprintf(opts.IO.Out, "Completed updating config for %s %s.\n", opts.Entity.typeWord(), opts.Entity.Name)
	}
	return err
}

// changes lists deletions, then sets, in name order, as kafka-configs.
func (o *AlterOptions) changes() []admin.ConfigChange {
	var out []admin.ConfigChange
	for _, name := range o.Delete {
		out = append(out, admin.ConfigChange{Name: name, Op: admin.OpDelete})
	}
	names := make([]string, 0, len(o.Set))
	for name := range o.Set {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		out = append(out, admin.ConfigChange{Name: name, Op: admin.OpSet, Value: o.Set[name]})
	}
	return out
}

// checkDeletable refuses to delete configs the entity does not have set,
// as kafka-configs does ("Invalid config(s): ...").
func checkDeletable(ctx context.Context, a configsAdmin, e Entity, names []string) error {
	entries, err := a.DescribeConfigs(ctx, e.resource())
	if errors.Is(err, kerr.UnknownTopicOrPartition) {
		return clierr.NotFoundf("alter configs: %s '%s' does not exist", e.typeWord(), e.Name)
	}
	if err != nil {
		return err
	}
	set := map[string]bool{}
	for _, c := range selectEntries(entries, e, false) {
		set[c.Name] = true
	}
	var missing []string
	for _, n := range names {
		if !set[n] {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("Invalid config(s): %s (not set on the %s)", strings.Join(missing, ","), e.typeWord())
	}
	return nil
}

// alterUsersRun is `kq configs alter users NAME`.
func alterUsersRun(cmd *cobra.Command, f *factory.Factory, usersF func(context.Context, *UsersOptions) error,
	zk zkTarget, user, add, addFile string, del []string) error {
	if addFile != "" {
		return clierr.Usagef("--add-config-file is not supported for users: give the credential with --add-config")
	}
	set, err := parseAddConfig(add)
	if err != nil {
		return clierr.Usage(err)
	}
	opts := &UsersOptions{IO: f.IOStreams, Admin: usersAdminFrom(f, zk), User: user, ZooKeeper: zk.connect != ""}
	if err := opts.fillAlter(set, parseDeleteConfig(del)); err != nil {
		return err
	}
	return run(cmd.Context(), opts, usersF, usersRun)
}
