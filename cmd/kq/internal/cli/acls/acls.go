package acls

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

const aclsLong = `Add, remove and list ACLs, as kafka-acls.sh does.

The brokers must run an authorizer (authorizer.class.name=kafka.security.authorizer.AclAuthorizer).
With --zookeeper (or --authorizer-properties zookeeper.connect=...) the ACLs are written to
ZooKeeper directly, where every broker picks them up: the way to grant the first principals
before any may use the ACL APIs.

Resources: --topic, --group, --cluster, --transactional-id, --delegation-token, --user-principal
(each repeatable; "*" names every resource of the type). --resource-pattern-type is literal
(default) or prefixed when adding; any or match as well when listing or removing.

--producer grants Write, Describe and Create on the topics (Write and Describe on
--transactional-id; IdempotentWrite on the cluster with --idempotent); --consumer grants Read
and Describe on the topics and Read on the groups.`

const aclsExample = `  kq acls --add --allow-principal User:alice --operation Read --topic orders
  kq acls --add --allow-principal User:app --producer --topic orders --transactional-id app-tx
  kq acls --add --allow-principal User:app --consumer --topic orders --group app
  kq acls --list --topic orders
  kq acls --remove --force --topic orders
  kq acls --zookeeper localhost:2181 --add --allow-principal User:admin --operation All --cluster`

// Options are the inputs of `kq acls`.
type Options struct {
	IO     *iostreams.IOStreams
	Output output.Format
	// Store reaches the ACLs: the brokers, or ZooKeeper.
	Store func() (store, error)

	Add, Remove, List bool
	Flags             Flags
	Force             bool
}

// NewCmdACLs returns `kq acls`.
func NewCmdACLs(f *factory.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams}
	var zk zkFlags
	cmd := &cobra.Command{
		Use:     "acls",
		Short:   "Add, remove and list ACLs",
		Long:    aclsLong,
		Example: aclsExample,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Output = f.Output()
			if err := opts.validate(); err != nil {
				return err
			}
			opts.Store = storeFrom(cmd, f, &zk)
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return aclsRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&opts.Add, "add", false, "Add ACLs")
	fl.BoolVar(&opts.Remove, "remove", false, "Remove ACLs")
	fl.BoolVar(&opts.List, "list", false, "List ACLs")
	fl.BoolVar(&opts.Force, "force", false, "Remove without asking")
	opts.Flags.register(fl)
	zk.register(fl)
	return cmd
}
