// Package features is `kq features --describe`: Kafka's kafka-features.sh
// describe, the feature versions the cluster supports and has finalized.
package features

import (
	"context"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

const long = `Describe the cluster's feature versions (KIP-584), as kafka-features.sh
describe does: each feature a broker supports, its supported range, the
level the cluster finalized (0: none) and the finalized features' epoch
("-" when there is none). kafka-features.sh spells it 'describe'; kq takes
both 'kq features describe' and 'kq features --describe'.

A broker in ZooKeeper mode reports the features it supports and the ones
finalized in ZooKeeper; when it reports none, nothing is printed, as Kafka
prints nothing. Changing feature levels (upgrade, downgrade, disable) is not
offered: kq's brokers do not serve UpdateFeatures.`

// Options are the inputs of `kq features describe`.
type Options struct {
	IO     *iostreams.IOStreams
	Admin  func() (featuresAdmin, error)
	Output output.Format
}

// featuresAdmin is what the command asks the cluster (*admin.Client).
type featuresAdmin interface {
	BrokerAPIVersions(ctx context.Context) ([]admin.BrokerVersions, error)
}

// NewCmdFeatures returns `kq features` with describe; runF replaces the run
// in tests.
func NewCmdFeatures(f *factory.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	var describe bool
	runE := func(cmd *cobra.Command, _ []string) error {
		opts := &Options{IO: f.IOStreams, Output: f.Output(), Admin: func() (featuresAdmin, error) { return adminOf(f) }}
		if runF != nil {
			return runF(cmd.Context(), opts)
		}
		return run(cmd.Context(), opts)
	}
	cmd := &cobra.Command{
		Use:     "features",
		Short:   "Describe the cluster's feature versions (kafka-features.sh)",
		Long:    long,
		Example: "  kq features describe\n  kq features --describe -o json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !describe {
				return clierr.Usagef("use 'kq features describe' (or --describe)")
			}
			return runE(cmd, args)
		},
	}
	cmd.Flags().BoolVar(&describe, "describe", false, "Describe the feature versions (as the describe subcommand)")
	cmd.AddCommand(&cobra.Command{
		Use:   "describe",
		Short: "Describe the cluster's feature versions",
		Args:  cobra.NoArgs,
		RunE:  runE,
	})
	return cmd
}

func adminOf(f *factory.Factory) (featuresAdmin, error) {
	a, err := f.Admin()
	if err != nil {
		return nil, err
	}
	fa, ok := a.(featuresAdmin)
	if !ok {
		return nil, fmt.Errorf("this cluster client cannot describe features")
	}
	return fa, nil
}

// featureOut is one feature as -o json|yaml prints it.
type featureOut struct {
	admin.Feature
	Epoch *int64 `json:"epoch"`
}

// run asks the brokers and describes the first one's answer, as Kafka's
// Admin.describeFeatures asks one broker.
func run(ctx context.Context, opts *Options) error {
	a, err := opts.Admin()
	if err != nil {
		return err
	}
	brokers, err := a.BrokerAPIVersions(ctx)
	if err != nil {
		return err
	}
	var answer *admin.BrokerVersions
	for i := range brokers {
		if brokers[i].Err == nil {
			answer = &brokers[i]
			break
		}
	}
	if answer == nil {
		return fmt.Errorf("describe features: no broker answered")
	}
	var epoch *int64
	if answer.FinalizedEpoch >= 0 {
		epoch = &answer.FinalizedEpoch
	}
	feats := make([]featureOut, 0, len(answer.Features))
	for _, f := range answer.Features {
		feats = append(feats, featureOut{Feature: f, Epoch: epoch})
	}
	if done, err := output.Structured(opts.IO.Out, opts.Output, feats); done {
		return err
	}
	for _, f := range feats {
		fmt.Fprintf(opts.IO.Out, "Feature: %s\tSupportedMinVersion: %s\tSupportedMaxVersion: %s\tFinalizedVersionLevel: %s\tEpoch: %s\n",
			f.Name, level(f.Name, f.MinVersion), level(f.Name, f.MaxVersion), level(f.Name, f.Finalized), epochText(epoch))
	}
	return nil
}

func epochText(e *int64) string {
	if e == nil {
		return "-"
	}
	return strconv.FormatInt(*e, 10)
}

// level is FeatureCommand.levelToString: metadata.version levels by their
// release name.
func level(feature string, l int16) string {
	if feature != "metadata.version" {
		return strconv.Itoa(int(l))
	}
	if name, ok := metadataVersions[l]; ok {
		return name
	}
	return fmt.Sprintf("UNKNOWN %d", l)
}

// metadataVersions are Kafka's MetadataVersion feature levels.
var metadataVersions = map[int16]string{
	1: "3.0-IV1", 2: "3.1-IV0", 3: "3.2-IV0", 4: "3.3-IV0", 5: "3.3-IV1", 6: "3.3-IV2", 7: "3.3-IV3", 8: "3.4-IV0",
	9: "3.5-IV0", 10: "3.5-IV1", 11: "3.5-IV2", 12: "3.6-IV0", 13: "3.6-IV1", 14: "3.6-IV2", 15: "3.7-IV0",
	16: "3.7-IV1", 17: "3.7-IV2", 18: "3.7-IV3", 19: "3.7-IV4", 20: "3.8-IV0", 21: "3.9-IV0",
}
