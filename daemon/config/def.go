package config

import "github.com/twmb/franz-go/pkg/kmsg"

// Short names for Kafka's config types, so the definition tables stay readable.
const (
	typeBool     = kmsg.ConfigTypeBoolean
	typeString   = kmsg.ConfigTypeString
	typeInt      = kmsg.ConfigTypeInt
	typeShort    = kmsg.ConfigTypeShort
	typeLong     = kmsg.ConfigTypeLong
	typeDouble   = kmsg.ConfigTypeDouble
	typeList     = kmsg.ConfigTypeList
	typeClass    = kmsg.ConfigTypeClass
	typePassword = kmsg.ConfigTypePassword
)

// UpdateMode says whether a broker config can change without a restart, and
// at which level: the "Update Mode" column of Kafka's broker config docs.
type UpdateMode int8

const (
	// ReadOnly configs need a broker restart to change.
	ReadOnly UpdateMode = iota
	// PerBroker configs may be altered dynamically for one broker only.
	PerBroker
	// ClusterWide configs may be altered dynamically as a cluster default
	// ("<default>" resource) or for one broker.
	ClusterWide
)

func (m UpdateMode) String() string {
	switch m {
	case PerBroker:
		return "per-broker"
	case ClusterWide:
		return "cluster-wide"
	default:
		return "read-only"
	}
}

// Importance is Kafka's documentation ranking of a config.
type Importance int8

const (
	High Importance = iota
	Medium
	Low
)

func (i Importance) String() string {
	switch i {
	case High:
		return "high"
	case Medium:
		return "medium"
	default:
		return "low"
	}
}

// Def defines one configuration key: its Kafka name, type, default,
// accepted values and documentation.
type Def struct {
	Name string
	Type kmsg.ConfigType
	// Default is Kafka's default in the string form Kafka reports it
	// (DescribeConfigs, docs). Ignored when NullDefault is set.
	Default string
	// NullDefault marks keys whose unset value is null: either derived from
	// another key (log.retention.ms from log.retention.hours) or absent.
	NullDefault bool
	Importance  Importance
	// Doc is one line of documentation, returned by DescribeConfigs when the
	// client asks for it.
	Doc string
	// Mode is the dynamic update mode; meaningful for broker configs only.
	Mode UpdateMode
	// Note says where kq differs from Kafka (accepted but informational,
	// unsupported feature). Empty when kq behaves as Kafka.
	Note string
	// Unsupported marks features kq does not implement (TLS, SASL, ACLs,
	// tiered storage): setting one to a non-default value is warned about.
	Unsupported bool

	valid validator
}

// Sensitive reports whether the value must never be returned to clients.
func (d Def) Sensitive() bool { return d.Type == typePassword }

// ValidValues describes the accepted values as Kafka's docs do ("[1,...]",
// "[delete, compact]"), or "" when any value of the type is accepted.
func (d Def) ValidValues() string {
	if d.valid == nil {
		return ""
	}
	return d.valid.String()
}

// defaultValue returns the default in string form, and false when the
// default is null.
func (d Def) defaultValue() (string, bool) {
	return d.Default, !d.NullDefault
}
