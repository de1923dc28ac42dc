package configs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
	"github.com/spf13/cobra"
	"github.com/twmb/franz-go/pkg/kerr"
)

// DescribeOptions are the inputs of `kq configs describe`.
type DescribeOptions struct {
	IO     *iostreams.IOStreams
	Admin  func() (configsAdmin, error)
	Output output.Format
	Entity Entity
	// All lists every config, not only the ones set dynamically on the
	// entity (kafka-configs --all).
	All bool
}

// EntityConfigs is one entity's configs, as -o json|yaml prints them.
type EntityConfigs struct {
	EntityType string              `json:"entity_type"`
	EntityName string              `json:"entity_name"` // "" for the broker default
	Configs    []admin.ConfigEntry `json:"configs"`
}

// NewCmdDescribe returns `kq configs describe TYPE [NAME]`.
func NewCmdDescribe(f *factory.Factory, runF func(context.Context, *DescribeOptions) error,
	usersF func(context.Context, *UsersOptions) error, zk *zkTarget) *cobra.Command {
	opts := &DescribeOptions{IO: f.IOStreams, Admin: adminFrom(f)}
	var isDefault bool
	cmd := &cobra.Command{
		Use:   "describe (topics|brokers|users) [NAME]",
		Short: "Show the dynamic (or, with --all, every) config of topics or brokers",
		Example: "  kq configs describe topic orders\n  kq configs describe brokers 1 --all\n" +
			"  kq configs describe brokers --entity-default\n" +
			"  kq configs --describe --entity-type topics --entity-name orders",
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if isUsersType(args[0]) {
				uo := &UsersOptions{IO: f.IOStreams, Admin: usersAdminFrom(f, *zk), Output: f.Output(),
					User: argAt(args, 1), Describe: true, ZooKeeper: zk.connect != ""}
				return run(cmd.Context(), uo, usersF, usersRun)
			}
			typ, err := parseEntityType(args[0])
			if err != nil {
				return err
			}
			if opts.Entity, err = newEntity(typ, argAt(args, 1), isDefault); err != nil {
				return err
			}
			opts.Output = f.Output()
			return run(cmd.Context(), opts, runF, describeRun)
		},
		ValidArgsFunction: completeEntity(f),
	}
	cmd.Flags().BoolVar(&opts.All, "all", false, "List every config with its source, not only dynamic ones")
	cmd.Flags().BoolVar(&isDefault, "entity-default", false, "The cluster-wide broker default (brokers only)")
	return cmd
}

func argAt(args []string, i int) string {
	if i < len(args) {
		return args[i]
	}
	return ""
}

func run[O any](ctx context.Context, opts *O, runF, real func(context.Context, *O) error) error {
	if runF != nil {
		return runF(ctx, opts)
	}
	return real(ctx, opts)
}

func describeRun(ctx context.Context, opts *DescribeOptions) error {
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	entities, err := entitiesToDescribe(ctx, a, opts.Entity)
	if err != nil {
		return err
	}
	var result []EntityConfigs
	for _, e := range entities {
		entries, err := a.DescribeConfigs(ctx, e.resource())
		if errors.Is(err, kerr.UnknownTopicOrPartition) {
			return clierr.NotFoundf("The %s '%s' doesn't exist and doesn't have dynamic config.", e.typeWord(), e.Name)
		}
		if err != nil {
			return err
		}
		result = append(result, EntityConfigs{EntityType: e.typeWord() + "s", EntityName: e.Name,
			Configs: selectEntries(entries, e, opts.All)})
	}
	if done, err := output.Structured(opts.IO.Out, opts.Output, result); done {
		return err
	}
	return writeKafkaDescribe(opts.IO.Out, result, opts.All)
}

// entitiesToDescribe expands "every topic" or "every broker and the
// default" when no name is given, and checks a named broker exists.
func entitiesToDescribe(ctx context.Context, a configsAdmin, e Entity) ([]Entity, error) {
	if e.Name != "" || e.Default {
		if e.Type == admin.BrokerResource && e.Name != "" {
			return []Entity{e}, checkBroker(ctx, a, e.Name)
		}
		return []Entity{e}, nil
	}
	if e.Type == admin.TopicResource {
		topics, err := a.Topics(ctx)
		if err != nil {
			return nil, err
		}
		var out []Entity
		for _, t := range topics {
			out = append(out, Entity{Type: admin.TopicResource, Name: t.Name})
		}
		return out, nil
	}
	cluster, err := a.Cluster(ctx)
	if err != nil {
		return nil, err
	}
	var out []Entity
	for _, b := range cluster.Brokers {
		out = append(out, Entity{Type: admin.BrokerResource, Name: strconv.Itoa(int(b.ID))})
	}
	return append(out, Entity{Type: admin.BrokerResource, Default: true}), nil
}

func checkBroker(ctx context.Context, a configsAdmin, name string) error {
	cluster, err := a.Cluster(ctx)
	if err != nil {
		return err
	}
	for _, b := range cluster.Brokers {
		if strconv.Itoa(int(b.ID)) == name {
			return nil
		}
	}
	return clierr.NotFoundf("The broker '%s' doesn't exist and doesn't have dynamic config.", name)
}

// selectEntries keeps what kafka-configs shows: without --all only the
// configs set at this entity's own dynamic level.
func selectEntries(entries []admin.ConfigEntry, e Entity, all bool) []admin.ConfigEntry {
	out := []admin.ConfigEntry{}
	want := dynamicSource(e)
	for _, c := range entries {
		if all || c.Source == want {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func dynamicSource(e Entity) admin.ConfigSource {
	switch {
	case e.Type == admin.TopicResource:
		return admin.SourceDynamicTopic
	case e.Default:
		return admin.SourceDynamicDefaultBroker
	}
	return admin.SourceDynamicBroker
}

// writeKafkaDescribe prints kafka-configs' text:
//
//	Dynamic configs for topic t are:
//	  retention.ms=1000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=1000, ...}
func writeKafkaDescribe(w io.Writer, result []EntityConfigs, all bool) error {
	var b strings.Builder
	for _, ec := range result {
		switch {
		case ec.EntityName == "":
			fmt.Fprintf(&b, "Default configs for %s in the cluster are:\n", ec.EntityType)
		case all:
			fmt.Fprintf(&b, "All configs for %s %s are:\n", strings.TrimSuffix(ec.EntityType, "s"), ec.EntityName)
		default:
			fmt.Fprintf(&b, "Dynamic configs for %s %s are:\n", strings.TrimSuffix(ec.EntityType, "s"), ec.EntityName)
		}
		for _, c := range ec.Configs {
			fmt.Fprintf(&b, "  %s=%s sensitive=%t synonyms={%s}\n", c.Name, valueText(c.Value), c.Sensitive, synonymsText(c.Synonyms))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func valueText(v *string) string {
	if v == nil {
		return "null"
	}
	return *v
}

func synonymsText(synonyms []admin.ConfigSynonym) string {
	parts := make([]string, len(synonyms))
	for i, s := range synonyms {
		parts[i] = s.Source.String() + ":" + s.Name + "=" + valueText(s.Value)
	}
	return strings.Join(parts, ", ")
}
