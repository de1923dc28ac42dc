package groups

import (
	"context"

	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/spf13/cobra"
)

// NewCmdResetOffsets returns `kq groups reset-offsets GROUP`.
func NewCmdResetOffsets(f *factory.Factory, runF func(context.Context, *ResetOptions) error) *cobra.Command {
	var s strategyFlags
	var topics []string
	var allTopics, execute, dryRun bool
	cmd := &cobra.Command{
		Use:   "reset-offsets GROUP (--topic T[:P,P] | --all-topics) --to-...",
		Short: "Reset a group's committed offsets (a dry run unless --execute)",
		Example: "  kq groups reset-offsets app --topic orders --to-earliest\n" +
			"  kq groups reset-offsets app --all-topics --by-duration PT1H --execute\n" +
			"  kq groups reset-offsets app --topic orders:0,1 --shift-by -100 --execute",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			k := &kafkaFlags{groups: args, topics: topics, allTopics: allTopics, execute: execute, dryRun: dryRun, strategy: s}
			opts, err := k.resetOptions(cmd, f)
			if err != nil {
				return err
			}
			return run(cmd.Context(), runF, resetRun, opts)
		},
		ValidArgsFunction: completeGroups(f),
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&topics, "topic", nil, "Topic, `T` or T:P,P for some partitions (repeatable)")
	fl.BoolVar(&allTopics, "all-topics", false, "Every topic the group has offsets for")
	fl.BoolVar(&execute, "execute", false, "Commit the new offsets")
	fl.BoolVar(&dryRun, "dry-run", false, "Only show the new offsets (the default)")
	s.register(fl)
	return cmd
}

// NewCmdDelete returns `kq groups delete GROUP...`.
func NewCmdDelete(f *factory.Factory, runF func(context.Context, *DeleteOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:               "delete GROUP...",
		Short:             "Delete consumer groups (only groups without members)",
		Example:           "  kq groups delete old-app another-app",
		Args:              cobra.MinimumNArgs(1),
		ValidArgsFunction: completeGroups(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts := &DeleteOptions{IO: f.IOStreams, Admin: adminOf(f), Output: f.Output(), Groups: args}
			return run(cmd.Context(), runF, deleteRun, opts)
		},
	}
}

// NewCmdDeleteOffsets returns `kq groups delete-offsets GROUP --topic T`.
func NewCmdDeleteOffsets(f *factory.Factory, runF func(context.Context, *DeleteOffsetsOptions) error) *cobra.Command {
	var topic string
	cmd := &cobra.Command{
		Use:               "delete-offsets GROUP --topic T[:P,P]",
		Short:             "Delete a group's committed offsets of a topic",
		Example:           "  kq groups delete-offsets app --topic retired-topic",
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeGroups(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			k := &kafkaFlags{groups: args, topics: []string{topic}}
			opts, err := k.deleteOffsetsOptions(f)
			if err != nil {
				return err
			}
			return run(cmd.Context(), runF, deleteOffsetsRun, opts)
		},
	}
	cmd.Flags().StringVar(&topic, "topic", "", "Topic, `T` or T:P,P for some partitions")
	_ = cmd.MarkFlagRequired("topic")
	return cmd
}
