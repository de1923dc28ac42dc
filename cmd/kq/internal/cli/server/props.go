package server

import (
	"fmt"
	"maps"
	"strconv"
	"strings"

	"github.com/magiconair/properties"
	"github.com/spf13/viper"

	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/daemon/config"
)

// envPrefix starts the environment variables that set broker keys.
const envPrefix = "KQ_"

// gatherProps merges the configuration layers into one map of Kafka keys:
// file < --override < KQ_* environment < flags.
func gatherProps(opts *Options, getenv func(string) string) (map[string]string, error) {
	props, err := readPropertiesFile(opts.ConfigFile)
	if err != nil {
		return nil, err
	}
	for _, o := range opts.Overrides {
		k, v, ok := strings.Cut(o, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, clierr.Usagef("--override %q: want key=value", o)
		}
		props[strings.TrimSpace(k)] = v
	}
	maps.Copy(props, envProps(getenv))
	maps.Copy(props, flagProps(opts))
	return props, nil
}

// readPropertiesFile reads a Kafka .properties file with viper. Keys stay
// flat ("log.dirs", not log -> dirs): the key delimiter is one no Kafka key
// contains, so keys that prefix each other never collide.
func readPropertiesFile(path string) (map[string]string, error) {
	props := map[string]string{}
	if path == "" {
		return props, nil
	}
	codecs := viper.NewCodecRegistry()
	if err := codecs.RegisterCodec("properties", propertiesCodec{}); err != nil {
		return nil, err
	}
	v := viper.NewWithOptions(viper.KeyDelimiter("::"), viper.WithCodecRegistry(codecs))
	v.SetConfigFile(path)
	v.SetConfigType("properties")
	if err := v.ReadInConfig(); err != nil {
		return nil, fmt.Errorf("read --config %s: %w", path, err)
	}
	for _, k := range v.AllKeys() {
		props[k] = v.GetString(k)
	}
	return props, nil
}

// propertiesCodec decodes Java .properties (Kafka's server.properties)
// with magiconair/properties: escapes, continuation lines, ':' and '='
// separators, '#' and '!' comments.
type propertiesCodec struct{}

func (propertiesCodec) Decode(b []byte, v map[string]any) error {
	p, err := properties.Load(b, properties.UTF8)
	if err != nil {
		return err
	}
	for _, k := range p.Keys() {
		v[k], _ = p.Get(k)
	}
	return nil
}

func (propertiesCodec) Encode(v map[string]any) ([]byte, error) {
	p := properties.NewProperties()
	for k, val := range v {
		if _, _, err := p.Set(k, fmt.Sprint(val)); err != nil {
			return nil, err
		}
	}
	return []byte(p.String()), nil
}

// envProps reads KQ_<KEY> for every broker key kq knows:
// KQ_LOG_RETENTION_HOURS sets log.retention.hours. Other KQ_ variables
// (KQ_BOOTSTRAP_SERVER, ...) belong to the client commands and are ignored.
func envProps(getenv func(string) string) map[string]string {
	out := map[string]string{}
	for _, d := range config.BrokerDefs() {
		if v := getenv(envName(d.Name)); v != "" {
			out[d.Name] = v
		}
	}
	return out
}

func envName(key string) string {
	return envPrefix + strings.ToUpper(strings.NewReplacer(".", "_", "-", "_").Replace(key))
}

// flagProps maps the flags given on the command line to their keys.
func flagProps(opts *Options) map[string]string {
	out := map[string]string{}
	if opts.changed["broker-id"] {
		out["broker.id"] = strconv.Itoa(opts.BrokerID)
	}
	if opts.changed["listeners"] {
		out["listeners"] = opts.Listeners
	}
	if opts.changed["log-dirs"] {
		out["log.dirs"] = opts.LogDirs
	}
	if opts.changed["zookeeper"] {
		out["zookeeper.connect"] = opts.Zookeeper
	}
	if opts.changed["metrics-listener"] {
		out["kq.metrics.listener"] = opts.Metrics
	}
	return out
}
