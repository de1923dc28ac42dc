package groups

import (
	"os"
	"slices"
	"strings"

	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/spf13/cobra"
)

// allowedWith lists, for each option, the actions it may be combined with.
var allowedWith = map[string][]string{
	"all-groups": {"describe", "reset-offsets", "delete"}, "topic": {"reset-offsets", "delete-offsets"},
	"all-topics": {"reset-offsets"}, "members": {"describe"}, "verbose": {"describe"}, "state": {"describe", "list"},
	"to-earliest": {"reset-offsets"}, "to-latest": {"reset-offsets"}, "to-current": {"reset-offsets"},
	"to-offset": {"reset-offsets"}, "shift-by": {"reset-offsets"}, "to-datetime": {"reset-offsets"},
	"by-duration": {"reset-offsets"}, "from-file": {"reset-offsets"}, "dry-run": {"reset-offsets"},
	"execute": {"reset-offsets"}, "group": {"describe", "reset-offsets", "delete", "delete-offsets"},
	"offsets": {"describe"}, "type": {"list"}, "export": {"reset-offsets"},
}

func (k *kafkaFlags) action() (string, error) {
	var actions []string
	for _, a := range []struct {
		name string
		set  bool
	}{{"list", k.list}, {"describe", k.describe}, {"reset-offsets", k.reset}, {"delete", k.delete}, {"delete-offsets", k.deleteOffsets}} {
		if a.set {
			actions = append(actions, a.name)
		}
	}
	if len(actions) != 1 {
		return "", usagef("Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets")
	}
	return actions[0], nil
}

func checkCombination(cmd *cobra.Command, action string) error {
	for option, actions := range allowedWith {
		if cmd.Flags().Changed(option) && !slices.Contains(actions, action) {
			return usagef("option --%s can't be used with --%s (only with --%s)", option, action, strings.Join(actions, ", --"))
		}
	}
	return nil
}

// dispatch turns kafka-consumer-groups flags into a verb's Options and runs it.
func (k *kafkaFlags) dispatch(cmd *cobra.Command, f *factory.Factory, r *Runners) error {
	action, err := k.action()
	if err != nil {
		return err
	}
	if err := checkCombination(cmd, action); err != nil {
		return err
	}
	ctx := cmd.Context()
	switch action {
	case "list":
		opts := k.listOptions(f)
		if opts.Types, err = k.console.listTypes(); err != nil {
			return err
		}
		opts.ShowType = k.console.types != ""
		return run(ctx, r.List, listRun, opts)
	case "describe":
		opts, err := k.describeOptions(f)
		if err != nil {
			return err
		}
		return run(ctx, r.Describe, describeRun, opts)
	case "reset-offsets":
		opts, err := k.resetOptions(cmd, f)
		if err != nil {
			return err
		}
		return run(ctx, r.Reset, resetRun, opts)
	case "delete":
		opts, err := k.deleteOptions(f)
		if err != nil {
			return err
		}
		return run(ctx, r.Delete, deleteRun, opts)
	default:
		opts, err := k.deleteOffsetsOptions(f)
		if err != nil {
			return err
		}
		return run(ctx, r.DeleteOffsets, deleteOffsetsRun, opts)
	}
}

func (k *kafkaFlags) listOptions(f *factory.Factory) *ListOptions {
	opts := &ListOptions{IO: f.IOStreams, Admin: adminOf(f), Output: f.Output(), ShowState: k.state != ""}
	if k.state != "" && k.state != stateAll {
		opts.States = splitList(k.state)
	}
	return opts
}

func (k *kafkaFlags) describeOptions(f *factory.Factory) (*DescribeOptions, error) {
	view, err := describeView(k.members, k.state != "")
	if err != nil {
		return nil, err
	}
	if k.verbose && view != Members {
		return nil, usagef("--verbose goes with --members")
	}
	opts := &DescribeOptions{IO: f.IOStreams, Admin: adminOf(f), Output: f.Output(), Groups: k.groups,
		AllGroups: k.allGroups, View: view, Verbose: k.verbose}
	return opts, opts.check()
}

func (k *kafkaFlags) resetOptions(cmd *cobra.Command, f *factory.Factory) (*ResetOptions, error) {
	if k.dryRun && k.execute {
		return nil, usagef("use either --dry-run or --execute")
	}
	s, err := k.strategy.resolve(cmd.Flags(), f.Now(), os.ReadFile)
	if err != nil {
		return nil, err
	}
	opts := &ResetOptions{IO: f.IOStreams, Admin: adminOf(f), Output: f.Output(), Now: f.Now,
		Groups: k.groups, AllGroups: k.allGroups, AllTopics: k.allTopics, Strategy: s, Execute: k.execute,
		Export: k.console.export}
	for _, t := range k.topics {
		sel, err := parseTopicSelection(t)
		if err != nil {
			return nil, usage(err)
		}
		opts.Topics = append(opts.Topics, sel)
	}
	return opts, opts.check()
}

func (k *kafkaFlags) deleteOptions(f *factory.Factory) (*DeleteOptions, error) {
	groups := k.groups
	if k.allGroups {
		groups = nil // resolved when run
	}
	if len(groups) == 0 && !k.allGroups {
		return nil, usagef("--delete needs --group or --all-groups")
	}
	return &DeleteOptions{IO: f.IOStreams, Admin: adminOf(f), Output: f.Output(), Groups: groups, AllGroups: k.allGroups}, nil
}

func (k *kafkaFlags) deleteOffsetsOptions(f *factory.Factory) (*DeleteOffsetsOptions, error) {
	if len(k.groups) != 1 || len(k.topics) != 1 {
		return nil, usagef("--delete-offsets needs one --group and one --topic")
	}
	sel, err := parseTopicSelection(k.topics[0])
	if err != nil {
		return nil, usage(err)
	}
	return &DeleteOffsetsOptions{IO: f.IOStreams, Admin: adminOf(f), Output: f.Output(), Group: k.groups[0], Topic: sel}, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
