package quota

import (
	"fmt"
	"math"
	"strconv"
)

// The quota config keys of users and client ids (Kafka's QuotaConfigs).
const (
	ProducerByteRate       = "producer_byte_rate"
	ConsumerByteRate       = "consumer_byte_rate"
	RequestPercentage      = "request_percentage"
	ControllerMutationRate = "controller_mutation_rate"
)

// Default is the name of a <default> entity, as ZooKeeper paths spell it
// (Kafka's ConfigEntityName.Default). Real names are sanitized, so none
// can read as Default.
const Default = "<default>"

// Keys are the quota keys a user or client-id entity may set, with whether
// Kafka types them LONG (true) or DOUBLE (false). controller_mutation_rate
// is stored and described; kq does not enforce it.
var Keys = map[string]bool{
	ProducerByteRate:       true,
	ConsumerByteRate:       true,
	RequestPercentage:      false,
	ControllerMutationRate: false,
}

// IsKey says whether a config key is a client quota key.
func IsKey(key string) bool {
	_, ok := Keys[key]
	return ok
}

// Entity names a quota entity by its ZooKeeper path segments: a sanitized
// user, a sanitized client id, or Default; "" for a part the entity does
// not name.
type Entity struct {
	User, ClientID string
}

// String is the entity as its path below /config: users/<u>,
// users/<u>/clients/<c> or clients/<c>.
func (e Entity) String() string {
	switch {
	case e.User != "" && e.ClientID != "":
		return "users/" + e.User + "/clients/" + e.ClientID
	case e.User != "":
		return "users/" + e.User
	default:
		return "clients/" + e.ClientID
	}
}

// Type is what the manager enforces: one of the three quota kinds.
type Type int

// The enforced quota types.
const (
	Produce Type = iota
	Fetch
	Request
	numTypes
)

// key is the config key of a quota type.
func (t Type) key() string {
	return [...]string{ProducerByteRate, ConsumerByteRate, RequestPercentage}[t]
}

// Quotas are one entity's bounds per type; NaN where the entity sets none.
type Quotas [numTypes]float64

// ParseQuotas reads the quota keys of an entity's config, ignoring its
// other keys (a user's SCRAM credentials). A malformed value is an error
// naming the key; the other keys still count.
func ParseQuotas(cfg map[string]string) (Quotas, error) {
	q := Quotas{math.NaN(), math.NaN(), math.NaN()}
	var bad error
	for t := Type(0); t < numTypes; t++ {
		s, ok := cfg[t.key()]
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) {
			bad = fmt.Errorf("quota %s=%q is not a number", t.key(), s)
			continue
		}
		q[t] = v
	}
	return q, bad
}

// empty says the entity sets no enforced quota.
func (q Quotas) empty() bool {
	for _, v := range q {
		if !math.IsNaN(v) {
			return false
		}
	}
	return true
}

// candidates are the entities that may bound (user, clientID), in Kafka's
// order, for sanitized names. An empty client id has no client entity.
func candidates(user, clientID string) []Entity {
	out := make([]Entity, 0, 8)
	if clientID != "" {
		out = append(out, Entity{user, clientID})
	}
	out = append(out, Entity{user, Default}, Entity{User: user})
	if clientID != "" {
		out = append(out, Entity{Default, clientID})
	}
	out = append(out, Entity{Default, Default}, Entity{User: Default})
	if clientID != "" {
		out = append(out, Entity{ClientID: clientID})
	}
	return append(out, Entity{ClientID: Default})
}
