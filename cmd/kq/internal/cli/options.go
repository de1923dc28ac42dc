package cli

import (
	"fmt"
	"strings"
	"sync"

	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
	"github.com/kqhq/kq/cmd/kq/internal/cli/profile"
	"github.com/spf13/cobra"
	"github.com/spf13/viper"
)

// globalFlags is what viper decodes from flags, KQ_* variables and the
// selected profile, strongest first.
type globalFlags struct {
	BootstrapServer string `mapstructure:"bootstrap-server"`
	CommandConfig   string `mapstructure:"command-config"`
	Output          string `mapstructure:"output"`
	NoColor         bool   `mapstructure:"no-color"`
	Profile         string `mapstructure:"profile"`
}

// viperKeys are the global flags viper decodes; each may also come from
// the environment as KQ_<KEY> (KQ_BOOTSTRAP_SERVER, KQ_PROFILE, ...).
var viperKeys = []string{"bootstrap-server", "command-config", "output", "no-color", "profile"}

// envName is the variable for a viper key: bootstrap-server ->
// KQ_BOOTSTRAP_SERVER.
func envName(key string) string {
	return "KQ_" + strings.ToUpper(strings.ReplaceAll(key, "-", "_"))
}

// optionsResolver returns a function that resolves the global options once,
// after cobra has parsed the flags.
func optionsResolver(root *cobra.Command, v *viper.Viper, getenv func(string) string) func() (*factory.Options, error) {
	return sync.OnceValues(func() (*factory.Options, error) {
		return resolveOptions(root, v, getenv)
	})
}

func resolveOptions(root *cobra.Command, v *viper.Viper, getenv func(string) string) (*factory.Options, error) {
	overrides, err := parseClientProperties(root)
	if err != nil {
		return nil, err
	}
	profileName := v.GetString("profile")
	if !root.PersistentFlags().Changed("profile") && getenv(envName("profile")) != "" {
		profileName = getenv(envName("profile"))
	}
	prof, err := selectProfile(profileName, getenv)
	if err != nil {
		return nil, err
	}
	// Flags beat everything in viper; below them one config layer holds
	// the profile with the KQ_* variables on top.
	if err := v.MergeConfigMap(configLayer(prof, getenv)); err != nil {
		return nil, fmt.Errorf("apply profile and environment: %w", err)
	}
	var g globalFlags
	if err := v.Unmarshal(&g); err != nil {
		return nil, fmt.Errorf("read global options: %w", err)
	}
	format, err := output.ParseFormat(g.Output)
	if err != nil {
		return nil, clierr.Usage(fmt.Errorf("--output: %w", err))
	}
	return &factory.Options{
		BootstrapServer: g.BootstrapServer, CommandConfig: g.CommandConfig,
		ProfileProperties: prof.Properties, Overrides: overrides,
		Output: format, NoColor: g.NoColor, Profile: g.Profile,
	}, nil
}

// selectProfile reads the config file and returns the named profile (the
// file's current-profile when name is "").
func selectProfile(name string, getenv func(string) string) (profile.Profile, error) {
	file, err := profile.Load(profile.Path(getenv))
	if err != nil {
		return profile.Profile{}, err
	}
	prof, err := file.Select(name)
	if err != nil {
		return profile.Profile{}, clierr.NotFoundf("%v", err)
	}
	return prof, nil
}

// configLayer is the profile's settings overlaid with KQ_* variables.
func configLayer(prof profile.Profile, getenv func(string) string) map[string]any {
	layer := map[string]any{}
	if prof.BootstrapServer != "" {
		layer["bootstrap-server"] = prof.BootstrapServer
	}
	if prof.CommandConfig != "" {
		layer["command-config"] = prof.CommandConfig
	}
	for _, key := range viperKeys {
		if value := getenv(envName(key)); value != "" {
			layer[key] = value
		}
	}
	return layer
}

// parseClientProperties reads the -X key=value flags.
func parseClientProperties(root *cobra.Command) (map[string]string, error) {
	pairs, err := root.PersistentFlags().GetStringArray("client-property")
	if err != nil {
		return nil, fmt.Errorf("read -X: %w", err)
	}
	return factory.ParsePairs("-X", pairs)
}
