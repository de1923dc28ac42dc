package tui

import (
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/profile"
	kqtui "github.com/kqhq/kq/tui"
)

// profiles are the config file's profiles for :ctx. A profile switched to
// is reached as `kq --profile NAME tui` with no other flag would reach it:
// its bootstrap-server, command-config and properties only. The flags and
// KQ_* variables given at start named the first cluster; a -X meant for
// it (credentials, say) must not be sent to another.
type profiles struct {
	path string // the config file
}

// Names implements kqtui.Profiles.
func (p profiles) Names() ([]string, error) {
	f, err := profile.Load(p.path)
	if err != nil {
		return nil, err
	}
	return slices.Sorted(maps.Keys(f.Profiles)), nil
}

// Open implements kqtui.Profiles.
func (p profiles) Open(name string) (kqtui.Cluster, error) {
	f, err := profile.Load(p.path)
	if err != nil {
		return kqtui.Cluster{}, err
	}
	prof, err := f.Select(name)
	if err != nil {
		return kqtui.Cluster{}, err // shown in the status line, not an exit code
	}
	opts := &factory.Options{BootstrapServer: prof.BootstrapServer, CommandConfig: prof.CommandConfig, ProfileProperties: prof.Properties}
	// The warnings about producer or consumer properties a TUI does not
	// use would land on the TUI's screen; the first cluster's were
	// printed before it started, and these are the same kind.
	cfg, err := factory.BuildClientConfig(opts, factory.ClientUse{Command: "kq tui"}, io.Discard)
	if err != nil {
		return kqtui.Cluster{}, err
	}
	cl, err := admin.NewClient(cfg)
	if err != nil {
		return kqtui.Cluster{}, err
	}
	newConsumer := func(cc admin.ConsumerConfig) (factory.Consumer, error) {
		c, err := admin.NewConsumer(cfg, cc)
		if err != nil {
			return nil, err // not a typed nil inside the interface
		}
		return c, nil
	}
	return kqtui.Cluster{Source: cl, Messages: messageSource{Source: cl, newConsumer: newConsumer},
		Address: strings.Join(cfg.Brokers, ","), Close: cl.Close}, nil
}

// startProfile is the profile the first cluster came from: --profile or
// KQ_PROFILE, else the file's current-profile; "" when the cluster was
// named by flags alone.
func startProfile(f *factory.Factory, path string) string {
	opts, err := f.Options()
	if err != nil {
		return ""
	}
	if opts.Profile != "" {
		return opts.Profile
	}
	file, err := profile.Load(path)
	if err != nil {
		return ""
	}
	return file.CurrentProfile
}
