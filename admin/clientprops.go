package admin

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// Scope says which of kq's clients reads a client property.
type Scope uint8

// The scopes, as docs/client-properties.md names them.
const (
	ScopeAll      Scope = iota // every connection: addresses, security, timeouts
	ScopeProducer              // kq produce, kq perf produce
	ScopeConsumer              // kq consume, kq perf consume
)

func (s Scope) String() string {
	switch s {
	case ScopeProducer:
		return "producer"
	case ScopeConsumer:
		return "consumer"
	}
	return "all"
}

// ClientProperty is one row of kq's client-property table: a Kafka client
// property and what kq does with it. Exactly one of Meaning and Refused is
// set; a refused property is an error wherever it is given.
type ClientProperty struct {
	Name    string
	Scope   Scope
	Meaning string // how kq honours it: the franz-go option or kq behaviour
	Refused string // why kq refuses it
	// Secret values are never shown, not even in error messages.
	Secret bool
}

// propertyRule is a ClientProperty with the code that honours it. apply
// checks the value and records its effect on the builder; properties a
// command reads itself (acks, group.id, ...) only check here.
type propertyRule struct {
	ClientProperty
	apply func(b *propertyBuilder, value string) error
}

// ErrRefusedProperty marks a client property kq does not support; the
// error names it and says why.
var ErrRefusedProperty = errors.New("not supported by kq")

// PropertyError is a client property with a bad or refused value. Its
// message names the property and never quotes a secret's value.
type PropertyError struct {
	Key string
	Err error
}

func (e *PropertyError) Error() string { return "client property " + e.Key + ": " + e.Err.Error() }
func (e *PropertyError) Unwrap() error { return e.Err }

// ConfigError is a client configuration kq cannot use: a *PropertyError,
// or security settings that do not fit together (a missing truststore,
// SASL without credentials). Callers treat it as a usage error.
type ConfigError struct{ Err error }

func (e *ConfigError) Error() string { return e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

// ClientProperties returns the table, sorted by scope then name; the
// documentation's table is checked against it.
func ClientProperties() []ClientProperty {
	out := make([]ClientProperty, 0, len(propertyRules))
	for _, r := range propertyRules {
		out = append(out, r.ClientProperty)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Scope != out[j].Scope {
			return out[i].Scope < out[j].Scope
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// LookupClientProperty returns the row of name.
func LookupClientProperty(name string) (ClientProperty, bool) {
	r, ok := propertyRules[name]
	return r.ClientProperty, ok
}

// allRules is every row of the table, duplicates included (a test checks
// there are none).
func allRules() []propertyRule {
	return slices.Concat(commonRules(), securityRules(), producerRules(), consumerRules())
}

// propertyRules is the table by name.
var propertyRules = func() map[string]propertyRule {
	m := map[string]propertyRule{}
	for _, r := range allRules() {
		m[r.Name] = r
	}
	return m
}()

// refused builds the row of a property kq refuses.
func refused(name string, scope Scope, why string) propertyRule {
	return propertyRule{ClientProperty: ClientProperty{Name: name, Scope: scope, Refused: why}}
}

// honoured builds the row of a property kq honours.
func honoured(name string, scope Scope, meaning string, apply func(*propertyBuilder, string) error) propertyRule {
	return propertyRule{ClientProperty: ClientProperty{Name: name, Scope: scope, Meaning: meaning}, apply: apply}
}

func secret(r propertyRule) propertyRule {
	r.Secret = true
	return r
}

// propertyBuilder collects what the properties ask of the clients.
type propertyBuilder struct {
	cfg *ClientConfig
}

func (b *propertyBuilder) add(s Scope, opts ...kgo.Opt) {
	b.cfg.scopeOpts[s] = append(b.cfg.scopeOpts[s], opts...)
}

func (b *propertyBuilder) addGroup(opts ...kgo.Opt) {
	b.cfg.groupOpts = append(b.cfg.groupOpts, opts...)
}

// applyProperties checks every property against the table and applies the
// honoured ones in name order (so the outcome never depends on map order).
func applyProperties(cfg *ClientConfig, props map[string]string) error {
	b := &propertyBuilder{cfg: cfg}
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		rule, ok := propertyRules[key]
		switch {
		case !ok:
			return &PropertyError{Key: key, Err: fmt.Errorf("unknown: not a Kafka client property kq knows (docs/client-properties.md lists them)")}
		case rule.Refused != "":
			return &PropertyError{Key: key, Err: fmt.Errorf("%w: %s", ErrRefusedProperty, rule.Refused)}
		case rule.apply == nil:
			continue
		}
		if err := rule.apply(b, props[key]); err != nil {
			return &PropertyError{Key: key, Err: err}
		}
	}
	return nil
}

// Value parsers shared by the tables. Their messages quote the value,
// so secret properties never use them.

func parseInt(value string, minimum int64) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
	if err != nil || n < minimum {
		return 0, fmt.Errorf("want an integer of at least %d, got %q", minimum, value)
	}
	return n, nil
}

func parseInt32(value string, minimum int64) (int32, error) {
	n, err := parseInt(value, minimum)
	if err == nil && n > 1<<31-1 {
		return 0, fmt.Errorf("%q is too large", value)
	}
	return int32(n), err
}

func parseMillis(value string) (time.Duration, error) {
	ms, err := parseInt(value, 0)
	if err != nil {
		return 0, fmt.Errorf("want a non-negative number of milliseconds, got %q", value)
	}
	return time.Duration(ms) * time.Millisecond, nil
}

func parseBool(value string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(value)) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fmt.Errorf("want true or false, got %q", value)
}

// oneOf checks value against the accepted values (case-insensitively) and
// returns it in lower case.
func oneOf(value string, accepted ...string) (string, error) {
	v := strings.ToLower(strings.TrimSpace(value))
	for _, a := range accepted {
		if v == strings.ToLower(a) {
			return v, nil
		}
	}
	return "", fmt.Errorf("want %s, got %q", strings.Join(accepted, " or "), value)
}

// only accepts exactly the values that describe what kq does anyway and
// refuses the others with why.
func only(why string, accepted ...string) func(*propertyBuilder, string) error {
	return func(_ *propertyBuilder, value string) error {
		if slices.ContainsFunc(accepted, func(a string) bool { return strings.EqualFold(a, strings.TrimSpace(value)) }) {
			return nil
		}
		return fmt.Errorf("%w: %q (%s)", ErrRefusedProperty, value, why)
	}
}

// millisOpt applies a duration property as a franz-go option.
func millisOpt[O kgo.Opt](scope Scope, opt func(time.Duration) O) func(*propertyBuilder, string) error {
	return func(b *propertyBuilder, value string) error {
		d, err := parseMillis(value)
		if err != nil {
			return err
		}
		b.add(scope, opt(d))
		return nil
	}
}

// int32Opt applies an integer property of at least minimum.
func int32Opt[O kgo.Opt](scope Scope, minimum int64, opt func(int32) O) func(*propertyBuilder, string) error {
	return func(b *propertyBuilder, value string) error {
		n, err := parseInt32(value, minimum)
		if err != nil {
			return err
		}
		b.add(scope, opt(n))
		return nil
	}
}

// check only validates: the command reads the property itself.
func check(parse func(string) error) func(*propertyBuilder, string) error {
	return func(_ *propertyBuilder, value string) error { return parse(value) }
}
