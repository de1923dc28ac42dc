package config

import (
	"slices"
	"sync"
)

// table indexes a list of definitions by name.
type table struct {
	defs   []Def
	byName map[string]*Def
}

func newTable(groups ...[]Def) *table {
	t := &table{defs: slices.Concat(groups...)}
	t.byName = make(map[string]*Def, len(t.defs))
	for i := range t.defs {
		t.byName[t.defs[i].Name] = &t.defs[i]
	}
	return t
}

func (t *table) lookup(name string) (*Def, bool) {
	d, ok := t.byName[name]
	return d, ok
}

// brokerTable is every static broker config (server.properties keys), built
// on first use from the per-area lists.
var brokerTable = sync.OnceValue(func() *table {
	return newTable(identityDefs(), topicCreationDefs(), requestDefs(),
		networkDefs(), securityDefs(), saslDefs(), authorizationDefs(), logManagerDefs(), logTopicDefaultDefs(),
		zooKeeperDefs(), replicationDefs(), coordinatorDefs(), metricsDefs(), metricsListenerDefs())
})

// dynamicOnlyTable holds broker configs Kafka accepts only through
// AlterConfigs (DynamicConfig.Broker), never in server.properties.
var dynamicOnlyTable = sync.OnceValue(func() *table {
	return newTable(dynamicOnlyDefs())
})

// BrokerDefs lists every static broker config kq knows, in table order.
func BrokerDefs() []Def { return slices.Clone(brokerTable().defs) }

// DynamicOnlyBrokerDefs lists the broker configs that can only be set with
// AlterConfigs, such as leader.replication.throttled.rate.
func DynamicOnlyBrokerDefs() []Def { return slices.Clone(dynamicOnlyTable().defs) }

// LookupBroker finds a broker config, static or dynamic-only, by name.
func LookupBroker(name string) (Def, bool) {
	if d, ok := brokerTable().lookup(name); ok {
		return *d, true
	}
	if d, ok := dynamicOnlyTable().lookup(name); ok {
		return *d, true
	}
	return Def{}, false
}
