package configs

import (
	"github.com/spf13/cobra"

	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
)

const clientQuotasLong = `Describe and alter the client quotas of users and client ids: the quota
half of kq configs under its own name (Kafka ships no separate script; its
kafka-configs.sh --entity-type users|clients does the same, and so does
kq configs).

Quota keys: producer_byte_rate, consumer_byte_rate (bytes per second) and
request_percentage (percent of one request handler thread). --user and
--client combine into a user+client-id entity; --user-defaults and
--client-defaults name the <default> entities. --describe without an entity
lists every entity that has quotas.`

const clientQuotasExample = `  kq client-quotas --describe
  kq client-quotas --alter --user alice --add-config producer_byte_rate=1048576
  kq client-quotas --alter --user alice --client app --add-config consumer_byte_rate=2097152
  kq client-quotas --alter --client-defaults --add-config request_percentage=50
  kq client-quotas --alter --user alice --delete-config producer_byte_rate`

// NewCmdClientQuotas returns `kq client-quotas`.
func NewCmdClientQuotas(f *factory.Factory, r *Runners) *cobra.Command {
	if r == nil {
		r = &Runners{}
	}
	k := &kafkaFlags{}
	cmd := &cobra.Command{
		Use:     "client-quotas (--describe | --alter) [--user U] [--client C]",
		Short:   "Describe and alter client quotas of users and client ids",
		Long:    clientQuotasLong,
		Example: clientQuotasExample,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return k.dispatchClientQuotas(cmd, f, r)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&k.describe, "describe", false, "Describe quotas")
	fl.BoolVar(&k.alter, "alter", false, "Alter quotas")
	fl.StringVar(&k.user, "user", "", "User principal name (combines with --client)")
	fl.StringVar(&k.client, "client", "", "Client id (combines with --user)")
	fl.BoolVar(&k.userDefaults, "user-defaults", false, "The default user's quotas")
	fl.BoolVar(&k.clientDefaults, "client-defaults", false, "The default client id's quotas")
	addAlterFlags(cmd, &k.add, &k.addFile, &k.del)
	return cmd
}

func (k *kafkaFlags) dispatchClientQuotas(cmd *cobra.Command, f *factory.Factory, r *Runners) error {
	if k.describe == k.alter {
		return clierr.Usagef("Command must include exactly one action: --describe, --alter")
	}
	e, named, err := k.quotaShortcuts()
	if err != nil {
		return err
	}
	if !named {
		if k.alter {
			return clierr.Usagef("--alter needs an entity: --user, --client, --user-defaults or --client-defaults")
		}
		return k.describeEveryQuota(cmd, f, r)
	}
	return k.dispatchQuota(cmd, f, r, e)
}

// describeEveryQuota lists every entity that has quotas.
func (k *kafkaFlags) describeEveryQuota(cmd *cobra.Command, f *factory.Factory, r *Runners) error {
	if k.add != "" || k.addFile != "" || len(k.del) > 0 {
		return clierr.Usagef("--add-config and --delete-config go with --alter")
	}
	opts := &QuotaOptions{IO: f.IOStreams, Admin: quotaAdminFrom(f), Output: f.Output(), Every: true}
	return run(cmd.Context(), opts, r.QuotaDescribe, quotaDescribeRun)
}
