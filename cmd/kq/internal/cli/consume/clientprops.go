package consume

import (
	"strings"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/spf13/cobra"
)

// The consumer properties consume reads itself; the others take effect in
// the consumer (admin.NewConsumer).
const (
	isolationKey = "isolation.level"
	groupKey     = "group.id"
	resetKey     = "auto.offset.reset"
)

// useConsumerProperties adds --consumer.config and --consumer-property to
// the client properties, as Kafka's console consumer reads them, and
// returns the merged properties.
func useConsumerProperties(f *factory.Factory, c consumeFlags) (map[string]string, error) {
	props, err := factory.ParsePairs("--consumer-property", *c.consumerProps)
	if err != nil {
		return nil, err
	}
	f.UseClient(factory.ClientUse{Scopes: []admin.Scope{admin.ScopeConsumer}, ConfigFile: *c.consumerConfig,
		ConfigFlag: "--consumer.config", Properties: props, Command: "kq consume"})
	if f.ClientConfig == nil {
		return props, nil
	}
	cfg, err := f.ClientConfig()
	if err != nil {
		return nil, err
	}
	return cfg.Properties, nil
}

// fillIsolation decides the isolation level: --isolation-level, else the
// client property isolation.level (from --consumer-property, -X,
// --consumer.config, --command-config or the profile), else
// read_uncommitted (the console consumer's default).
func (o *Options) fillIsolation(cmd *cobra.Command, c consumeFlags, props map[string]string) error {
	level, from := *c.isolationLevel, "--isolation-level"
	if v, ok := props[isolationKey]; ok && !cmd.Flags().Changed("isolation-level") {
		level, from = strings.TrimSpace(v), "client property "+isolationKey
	}
	switch level {
	case "read_uncommitted":
	case "read_committed":
		o.ReadCommitted = true
	default:
		return clierr.Usagef("%s: want read_uncommitted or read_committed, got %q", from, level)
	}
	return nil
}

// groupOf is --group, else the client property group.id, and where it
// came from.
func groupOf(flagGroup string, props map[string]string) (string, string) {
	if flagGroup != "" {
		return flagGroup, "--group"
	}
	if g := strings.TrimSpace(props[groupKey]); g != "" {
		return g, "group.id"
	}
	return "", ""
}

// fillReset applies auto.offset.reset where neither --offset nor
// --from-beginning says where to start: earliest starts at the log start,
// latest (the default) at the end, none fails a group member's partition
// without a committed offset. As in Kafka's console consumer,
// --from-beginning with another reset is an error.
func (o *Options) fillReset(cmd *cobra.Command, c consumeFlags, props map[string]string) error {
	raw, ok := props[resetKey]
	if !ok {
		return nil
	}
	reset := strings.ToLower(strings.TrimSpace(raw))
	switch {
	case *c.fromBeginning && reset != "earliest":
		return clierr.Usagef("can't use --from-beginning with %s=%s", resetKey, reset)
	case *c.fromBeginning || cmd.Flags().Changed("offset"):
		return nil
	case reset == "earliest":
		o.Offset = StartOffset{Kind: OffsetStart}
	case reset == "none" && o.Group == "":
		return clierr.Usagef("%s=none needs a group (--group or group.id) whose committed offsets say where to start; without one give --offset", resetKey)
	case reset == "none":
		o.NoReset = true
	}
	return nil
}
