package consume

import (
	"fmt"
	"io"
	"strings"

	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/spf13/cobra"
)

// isolationKey is the Kafka consumer property of the isolation level.
const isolationKey = "isolation.level"

// fillIsolation decides the isolation level, strongest first:
// --isolation-level, --consumer-property isolation.level=..., the client
// properties (-X, --command-config, the profile), read_uncommitted (the
// console consumer's default).
func (o *Options) fillIsolation(cmd *cobra.Command, c consumeFlags, f *factory.Factory) error {
	level, from, err := isolationLevel(cmd, c, f)
	if err != nil {
		return err
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

// isolationLevel returns the level given and where it came from.
func isolationLevel(cmd *cobra.Command, c consumeFlags, f *factory.Factory) (string, string, error) {
	if cmd.Flags().Changed("isolation-level") {
		return *c.isolationLevel, "--isolation-level", nil
	}
	props, err := consumerProperties(*c.consumerProps, f.IOStreams.ErrOut)
	if err != nil {
		return "", "", err
	}
	if level, ok := props[isolationKey]; ok {
		return level, "--consumer-property " + isolationKey, nil
	}
	if f.ClientConfig != nil {
		cfg, err := f.ClientConfig()
		if err != nil {
			return "", "", err
		}
		if level := strings.TrimSpace(cfg.Properties[isolationKey]); level != "" {
			return level, "client property " + isolationKey, nil
		}
	}
	return *c.isolationLevel, "--isolation-level", nil
}

// consumerProperties parses --consumer-property pairs; keys consume does
// not read are reported on stderr, pointing at -X.
func consumerProperties(pairs []string, warn io.Writer) (map[string]string, error) {
	props := map[string]string{}
	for _, pair := range pairs {
		key, value, ok := strings.Cut(pair, "=")
		if !ok || strings.TrimSpace(key) == "" {
			return nil, clierr.Usagef("--consumer-property %q: want key=value", pair)
		}
		key = strings.TrimSpace(key)
		if key != isolationKey {
			fmt.Fprintf(warn, "Warning: --consumer-property %s is not used by kq consume; give client properties with -X %s=...\n", key, key)
		}
		props[key] = strings.TrimSpace(value)
	}
	return props, nil
}
