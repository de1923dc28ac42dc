package config

import (
	"errors"
	"maps"
	"os"
)

// Broker is a parsed, validated broker configuration. The embedded area
// structs hold the typed values (b.BrokerID, b.Listeners, b.LogDirs, ...);
// per-topic settings and their broker defaults are in TopicDefaults.
//
// A Broker is immutable: WithDynamic and WithBrokerID return new values, so
// one may be shared by goroutines without locking. Slices and maps reachable
// from it must not be modified.
type Broker struct {
	Identity
	TopicCreation
	Requests
	Network
	SASL
	ZooKeeper
	LogManager
	Replication
	Controller
	GroupCoordinator
	TransactionCoordinator
	Metrics
	Authorization

	layers layers
	opts   Options
	// values holds every known broker key parsed from the merged layers;
	// nil is Kafka's null.
	values        map[string]any
	topicValues   map[string]any
	topicDefaults TopicConfig
}

// layers are the sources of broker values, lowest precedence first after
// Kafka's defaults: server.properties, the cluster-wide dynamic default
// (/config/brokers/<default>), and this broker's dynamic config
// (/config/brokers/<id>).
type layers struct {
	static, dynamicDefault, dynamicBroker map[string]string
}

// merged is the operator's value for every key set in some layer.
func (l layers) merged() map[string]string {
	out := maps.Clone(l.static)
	if out == nil {
		out = map[string]string{}
	}
	maps.Copy(out, l.dynamicDefault)
	maps.Copy(out, l.dynamicBroker)
	return out
}

// Options adjust Parse for the environment.
type Options struct {
	// Hostname names this machine for advertised listeners without a host.
	// nil uses os.Hostname. Kafka uses the canonical (DNS) host name; kq
	// uses the kernel's host name, which needs no DNS and is what the
	// canonical lookup starts from.
	Hostname func() (string, error)
}

func (o Options) hostname() func() (string, error) {
	if o.Hostname != nil {
		return o.Hostname
	}
	return os.Hostname
}

// Warning reports a key kq accepted but will not use: unknown, KRaft-only,
// client-only, or a feature kq does not implement.
type Warning struct {
	Key     string
	Message string
}

func (w Warning) String() string { return w.Key + ": " + w.Message }

// Parse reads a broker configuration from Kafka server.properties keys: the
// CLI's merged layers (file < --override < KQ_* env < flags). Values are
// checked with Kafka's rules and messages; every refused value is reported,
// joined into one error. Keys kq does not use are kept (DescribeConfigs shows
// them) and reported as warnings.
func Parse(props map[string]string) (*Broker, []Warning, error) {
	return ParseWithOptions(props, Options{})
}

// ParseWithOptions is Parse with environment adjustments.
func ParseWithOptions(props map[string]string, opts Options) (*Broker, []Warning, error) {
	warnings := staticWarnings(props)
	static := maps.Clone(props)
	for k := range static {
		if _, ok := dynamicOnlyTable().lookup(k); ok {
			delete(static, k) // reported by staticWarnings; Kafka ignores it statically
		}
	}
	b, err := build(layers{static: static}, opts)
	return b, warnings, err
}

// build parses and checks the layered values into a Broker.
func build(l layers, opts Options) (*Broker, error) {
	vals, err := parseLayers(l.static, l.dynamicDefault, l.dynamicBroker)
	if err != nil {
		return nil, err
	}
	b := &Broker{layers: l, opts: opts, values: vals}
	r := &reader{vals: vals, raw: l.merged()}
	if err := b.fill(r); err != nil {
		return nil, err
	}
	if err := checkListenerSSL(b); err != nil {
		return nil, err
	}
	b.topicValues = topicDefaultsFrom(vals)
	if b.topicDefaults, err = fillTopicConfig(b.topicValues); err != nil {
		return nil, err
	}
	return b, r.err()
}

// fill reads every area; the errors of all areas are joined.
func (b *Broker) fill(r *reader) error {
	var errs [8]error
	b.Identity = fillIdentity(r)
	errs[0] = b.Identity.validate()
	errs[6] = checkFormatVersion(b.InterBrokerProtocolVersion, r.str("log.message.format.version"))
	b.TopicCreation = fillTopicCreation(r)
	b.Requests = fillRequests(r)
	b.Network, errs[1] = fillNetwork(r, b.opts.hostname())
	b.SASL = fillSASL(r)
	errs[7] = b.checkInterBrokerSASL()
	b.ZooKeeper, errs[2] = fillZooKeeper(r)
	b.LogManager, errs[3] = fillLogManager(r)
	b.Replication, errs[4] = fillReplication(r)
	b.Controller = fillController(r)
	b.GroupCoordinator, errs[5] = fillGroupCoordinator(r)
	b.TransactionCoordinator = fillTransactionCoordinator(r)
	b.Metrics = fillMetrics(r)
	b.Authorization = fillAuthorization(r)
	return errors.Join(errs[:]...)
}

// parseLayers parses the value of every known broker key, taking the
// highest layer that sets it, else Kafka's default. All refusals are joined
// in table order.
func parseLayers(static, dynamicDefault, dynamicBroker map[string]string) (map[string]any, error) {
	vals := map[string]any{}
	var errs []error
	for _, t := range []*table{brokerTable(), dynamicOnlyTable()} {
		for i := range t.defs {
			def := &t.defs[i]
			raw, ok := firstSet(def.Name, dynamicBroker, dynamicDefault, static)
			if !ok {
				raw, ok = def.defaultValue()
			}
			if !ok {
				vals[def.Name] = nil
				continue
			}
			v, err := parseChecked(def, raw)
			if err != nil {
				errs = append(errs, err)
			}
			vals[def.Name] = v
		}
	}
	return vals, errors.Join(errs...)
}

func firstSet(key string, layers ...map[string]string) (string, bool) {
	for _, l := range layers {
		if v, ok := l[key]; ok {
			return v, true
		}
	}
	return "", false
}

// parseChecked parses raw as def's type and applies def's rule.
func parseChecked(def *Def, raw string) (any, error) {
	v, err := parseValue(def, raw)
	if err != nil {
		return nil, err
	}
	if def.valid != nil {
		if err := def.valid.check(def.Name, v); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// WithBrokerID returns a copy with BrokerID set, for a broker that obtained
// a generated id (NeedsGeneratedID) or read one from meta.properties.
func (b *Broker) WithBrokerID(id int32) *Broker {
	c := *b
	c.BrokerID = id
	return &c
}

// Value returns the effective value of a broker key in Kafka's string form;
// ok is false for null and unknown keys. Passwords are returned: callers
// answering clients must use DescribeBroker, which hides them.
func (b *Broker) Value(key string) (string, bool) {
	if v, known := b.values[key]; known {
		return formatValue(v)
	}
	v, ok := b.layers.merged()[key]
	return v, ok
}

// Resolved returns every non-null broker value, known keys in Kafka's string
// form and unknown keys as the operator wrote them.
func (b *Broker) Resolved() map[string]string {
	out := b.layers.merged()
	for k, v := range b.values {
		if s, ok := formatValue(v); ok {
			out[k] = s
		} else {
			delete(out, k)
		}
	}
	return out
}
