package factory

import (
	"fmt"
	"io"
	"maps"
	"sync"

	"github.com/kqhq/kq/admin"
)

// BootstrapAlias annotates a command's --broker-list flag that means
// --bootstrap-server (the console producer's deprecated spelling); other
// commands' --broker-list are lists of broker ids.
const BootstrapAlias = "kq_bootstrap_alias"

// DefaultBootstrapServer is used when no address is given anywhere.
const DefaultBootstrapServer = "localhost:9092"

// BuildClientConfig merges the client properties in order of strength:
// profile properties, the --command-config file, -X overrides, then
// --bootstrap-server (from flag, KQ_BOOTSTRAP_SERVER or profile). Without
// any address it uses DefaultBootstrapServer. Unknown property names are
// warned about on warn, as Kafka's tools do.
func BuildClientConfig(opts *Options, warn io.Writer) (admin.ClientConfig, error) {
	props := maps.Clone(opts.ProfileProperties)
	if props == nil {
		props = map[string]string{}
	}
	if opts.CommandConfig != "" {
		fileProps, err := admin.LoadProperties(opts.CommandConfig)
		if err != nil {
			return admin.ClientConfig{}, fmt.Errorf("--command-config: %w", err)
		}
		maps.Copy(props, fileProps)
	}
	maps.Copy(props, opts.Overrides)
	switch {
	case opts.BootstrapServer != "":
		props["bootstrap.servers"] = opts.BootstrapServer
	case props["bootstrap.servers"] == "":
		props["bootstrap.servers"] = DefaultBootstrapServer
	}
	cfg, unknown, err := admin.ClientConfigFromProperties(props)
	if err != nil {
		return admin.ClientConfig{}, err
	}
	for _, key := range unknown {
		fmt.Fprintf(warn, "Warning: the configuration '%s' was supplied but isn't a known config.\n", key)
	}
	return cfg, nil
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
		return BuildClientConfig(opts, f.IOStreams.ErrOut)
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
