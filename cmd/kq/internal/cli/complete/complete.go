// Package complete is dynamic shell completion of cluster names (topics)
// for cobra's ValidArgsFunction and flag completion. It asks the cluster
// with a short timeout and, on any failure, offers nothing: a completion
// must never write an error where the shell reads candidates.
package complete

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/spf13/cobra"
)

// Timeout bounds one completion's round trip to the cluster; a shell that
// waits longer feels broken.
const Timeout = 2 * time.Second

// Func is cobra's completion function type.
type Func = func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective)

// Topics completes topic names, leaving out those already on the line.
func Topics(f *factory.Factory) Func {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		names := topicNames(cmd.Context(), f)
		var out []string
		for _, name := range names {
			if strings.HasPrefix(name, toComplete) && !slices.Contains(args, name) {
				out = append(out, name)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// FirstArgTopic completes a topic for the first positional argument only.
func FirstArgTopic(f *factory.Factory) Func {
	topics := Topics(f)
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return topics(cmd, args, toComplete)
	}
}

func topicNames(parent context.Context, f *factory.Factory) []string {
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithTimeout(parent, Timeout)
	defer cancel()
	a, err := f.Admin()
	if err != nil {
		cobra.CompDebugln("kq: completion: "+err.Error(), false)
		return nil
	}
	topics, err := a.Topics(ctx)
	if err != nil {
		cobra.CompDebugln("kq: completion: "+err.Error(), false)
		return nil
	}
	names := make([]string, 0, len(topics))
	for _, t := range topics {
		names = append(names, t.Name)
	}
	return names
}
