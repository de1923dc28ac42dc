package cli

import (
	"fmt"
	"slices"

	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/version"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// kafkaScriptCommands mirror a Kafka script built on CommandDefaultOptions,
// whose every script takes --version.
var kafkaScriptCommands = []string{"topics", "produce", "consume", "groups", "configs", "leader-election", "reassign"}

// addKafkaVersionFlags gives the commands that mirror Kafka's scripts
// their --version.
func addKafkaVersionFlags(root *cobra.Command, f *factory.Factory) {
	for _, c := range root.Commands() {
		if slices.Contains(kafkaScriptCommands, c.Name()) {
			version.AddKafkaFlag(c, f)
		}
	}
}

// applyCommandConfigAlias honours a flag marked factory.CommandConfigAlias
// (kafka-leader-election's --admin.config) as --command-config.
func applyCommandConfigAlias(cmd *cobra.Command) error {
	var alias, value string
	cmd.Flags().VisitAll(func(fl *pflag.Flag) {
		if fl.Changed && fl.Annotations[factory.CommandConfigAlias] != nil {
			alias, value = fl.Name, fl.Value.String()
		}
	})
	if alias == "" {
		return nil
	}
	fl := cmd.Flags()
	if fl.Changed("command-config") {
		if given, _ := fl.GetString("command-config"); given != value {
			return clierr.Usagef("--%s and --command-config name different files (%s, %s): give one", alias, value, given)
		}
		return nil
	}
	if err := fl.Set("command-config", value); err != nil {
		return fmt.Errorf("--%s: %w", alias, err)
	}
	return nil
}
