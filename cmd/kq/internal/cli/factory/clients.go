package factory

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
)

// BootstrapAlias annotates a command's --broker-list flag that means
// --bootstrap-server (the console producer's deprecated spelling); other
// commands' --broker-list are lists of broker ids.
const BootstrapAlias = "kq_bootstrap_alias"

// CommandConfigAlias annotates a flag that means --command-config
// (kafka-leader-election's --admin.config).
const CommandConfigAlias = "kq_command_config_alias"

// DefaultBootstrapServer is used when no address is given anywhere.
const DefaultBootstrapServer = "localhost:9092"

// ClientUse is what a command adds to the global client properties: the
// scopes of properties it reads besides those of every connection, and its
// own properties file and key=value pairs (--producer.config and
// --producer-property, --consumer.config and --consumer-property).
type ClientUse struct {
	Scopes     []admin.Scope
	ConfigFile string
	ConfigFlag string // the flag that named ConfigFile, for messages
	Properties map[string]string
	// Command names the command in warnings ("kq topics").
	Command string
	// Defaults are the command's own defaults for properties no source
	// names (the console producer's retries=3).
	Defaults map[string]string
}

// BuildClientConfig merges the client properties in order of strength:
// profile properties, the --command-config file, the command's own file
// (--producer.config, --consumer.config), -X, the command's own pairs
// (--producer-property, --consumer-property), then --bootstrap-server
// (from flag, KQ_BOOTSTRAP_SERVER or profile). Without any address it uses
// DefaultBootstrapServer. A producer or consumer property the command does
// not use is dropped with a warning on warn (Kafka's tools warn of keys
// they do not use); an unknown or refused one is an error.
func BuildClientConfig(opts *Options, use ClientUse, warn io.Writer) (admin.ClientConfig, error) {
	props := maps.Clone(use.Defaults)
	if props == nil {
		props = map[string]string{}
	}
	maps.Copy(props, opts.ProfileProperties)
	if err := mergeFile(props, opts.CommandConfig, "--command-config"); err != nil {
		return admin.ClientConfig{}, err
	}
	if err := mergeFile(props, use.ConfigFile, use.ConfigFlag); err != nil {
		return admin.ClientConfig{}, err
	}
	maps.Copy(props, opts.Overrides)
	maps.Copy(props, use.Properties)
	switch {
	case opts.BootstrapServer != "":
		props["bootstrap.servers"] = opts.BootstrapServer
	case props["bootstrap.servers"] == "":
		props["bootstrap.servers"] = DefaultBootstrapServer
	}
	dropUnused(props, use, warn)
	return admin.ClientConfigFromProperties(props)
}

func mergeFile(props map[string]string, path, flag string) error {
	if path == "" {
		return nil
	}
	fileProps, err := admin.LoadProperties(path)
	if err != nil {
		return &admin.ConfigError{Err: fmt.Errorf("%s: %w", flag, err)}
	}
	maps.Copy(props, fileProps)
	return nil
}

// dropUnused removes the producer and consumer properties of scopes the
// command does not read, warning about each.
func dropUnused(props map[string]string, use ClientUse, warn io.Writer) {
	command := use.Command
	if command == "" {
		command = "this command"
	}
	keys := slices.Sorted(maps.Keys(props))
	for _, key := range keys {
		p, ok := admin.LookupClientProperty(key)
		if !ok || p.Scope == admin.ScopeAll || slices.Contains(use.Scopes, p.Scope) {
			continue
		}
		fmt.Fprintf(warn, "Warning: %s is a %s property; %s does not use it.\n", key, p.Scope, command)
		delete(props, key)
	}
}

// UseClient records what the running command adds to the client
// properties. Call it before the first ClientConfig, Admin, NewProducer or
// NewConsumer.
func (f *Factory) UseClient(use ClientUse) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.use = use
}

// ExplainError returns err explained as the TLS, SASL or credentials
// failure it is, or err unchanged.
func (f *Factory) ExplainError(err error) error {
	f.mu.Lock()
	built := f.built
	f.mu.Unlock()
	var sf *admin.SecurityFailure
	if built != nil {
		sf = built.ExplainFailure(err)
	} else {
		sf = admin.ExplainSecurityFailure(err)
	}
	if sf != nil {
		return sf
	}
	return err
}

// ClientUse is what the running command recorded with UseClient.
func (f *Factory) ClientUse() ClientUse {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.use
}

// WireClients sets ClientConfig, Admin, NewProducer and NewConsumer to
// build real franz-go clients from f.Options. The client config and the
// admin client are built once per invocation and closed by f.Close.
func (f *Factory) WireClients() {
	f.ClientConfig = sync.OnceValues(func() (admin.ClientConfig, error) {
		opts, err := f.Options()
		if err != nil {
			return admin.ClientConfig{}, err
		}
		cfg, err := BuildClientConfig(opts, f.ClientUse(), f.IOStreams.ErrOut)
		if err == nil {
			f.mu.Lock()
			f.built = &cfg
			f.mu.Unlock()
		}
		return cfg, err
	})
	f.Admin = sync.OnceValues(func() (Admin, error) {
		cfg, err := f.ClientConfig()
		if err != nil {
			return nil, err
		}
		cl, err := admin.NewClient(cfg)
		if err != nil {
			return nil, err
		}
		f.OnClose(cl.Close)
		return cl, nil
	})
	f.NewProducer = func(pc admin.ProducerConfig) (Producer, error) {
		cfg, err := f.ClientConfig()
		if err != nil {
			return nil, err
		}
		p, err := admin.NewProducer(cfg, pc)
		if err != nil {
			return nil, err // not a typed nil inside the interface
		}
		return p, nil
	}
	f.NewConsumer = func(cc admin.ConsumerConfig) (Consumer, error) {
		cfg, err := f.ClientConfig()
		if err != nil {
			return nil, err
		}
		c, err := admin.NewConsumer(cfg, cc)
		if err != nil {
			return nil, err
		}
		return c, nil
	}
}

// ParsePairs reads repeated key=value flag values (--producer-property,
// --consumer-property) into a map; a pair without '=' is a usage error
// naming flag.
func ParsePairs(flag string, pairs []string) (map[string]string, error) {
	props := make(map[string]string, len(pairs))
	for _, pair := range pairs {
		key, value, ok := strings.Cut(pair, "=")
		if !ok || strings.TrimSpace(key) == "" {
			return nil, clierr.Usagef("%s %q: want key=value", flag, pair)
		}
		props[strings.TrimSpace(key)] = value
	}
	return props, nil
}
