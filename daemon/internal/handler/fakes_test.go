package handler_test

import (
	"context"
	"maps"
	"sync"
	"testing"

	"github.com/kqhq/kq/daemon/config"
	"github.com/kqhq/kq/daemon/internal/handler"
	"github.com/kqhq/kq/store/partitionlog"
)

// fakeAdmin records the metadata-store writes the handlers make. With the
// on* hooks set (see fixture.actAsController) it also plays the controller,
// publishing what was written so waiting handlers can finish.
type fakeAdmin struct {
	mu       sync.Mutex
	created  []handler.TopicSpec
	deleted  []string
	added    map[string]map[int32][]int32
	entities map[string]map[string]string // "<type>/<name>" -> config
	err      error                        // returned by every write when set

	onCreate func(handler.TopicSpec)
	onDelete func(string)
	onAdd    func(string, map[int32][]int32)
}

func newFakeAdmin() *fakeAdmin {
	return &fakeAdmin{added: map[string]map[int32][]int32{}, entities: map[string]map[string]string{}}
}

func (a *fakeAdmin) CreateTopic(_ context.Context, spec handler.TopicSpec) ([16]byte, error) {
	a.mu.Lock()
	if a.err != nil {
		a.mu.Unlock()
		return [16]byte{}, a.err
	}
	a.created = append(a.created, spec)
	hook := a.onCreate
	a.mu.Unlock()
	if hook != nil {
		hook(spec)
	}
	return [16]byte{0xC0, byte(len(spec.Name))}, nil
}

func (a *fakeAdmin) DeleteTopic(_ context.Context, name string) error {
	a.mu.Lock()
	if a.err != nil {
		a.mu.Unlock()
		return a.err
	}
	a.deleted = append(a.deleted, name)
	hook := a.onDelete
	a.mu.Unlock()
	if hook != nil {
		hook(name)
	}
	return nil
}

func (a *fakeAdmin) AddPartitions(_ context.Context, topic string, add map[int32][]int32) error {
	a.mu.Lock()
	if a.err != nil {
		a.mu.Unlock()
		return a.err
	}
	a.added[topic] = add
	hook := a.onAdd
	a.mu.Unlock()
	if hook != nil {
		hook(topic, add)
	}
	return nil
}

func (a *fakeAdmin) EntityConfig(_ context.Context, entityType, name string) (map[string]string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return maps.Clone(a.entities[entityType+"/"+name]), nil
}

func (a *fakeAdmin) SetEntityConfig(_ context.Context, entityType, name string, cfg map[string]string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.err != nil {
		return a.err
	}
	a.entities[entityType+"/"+name] = maps.Clone(cfg)
	return nil
}

// entity returns a stored config, nil when never written.
func (a *fakeAdmin) entity(entityType, name string) map[string]string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return maps.Clone(a.entities[entityType+"/"+name])
}

func (a *fakeAdmin) createdSpecs() []handler.TopicSpec {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]handler.TopicSpec(nil), a.created...)
}

func (a *fakeAdmin) deletedTopics() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.deleted...)
}

func (a *fakeAdmin) addedPartitions(topic string) map[int32][]int32 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.added[topic]
}

// fakeConfigs answers config questions from Kafka's defaults
// (daemon/config.Parse(nil)), with per-topic min.insync.replicas.
type fakeConfigs struct {
	broker    *config.Broker
	mu        sync.Mutex
	minInsync map[string]int
}

func newFakeConfigs(t testing.TB) *fakeConfigs {
	t.Helper()
	b, _, err := config.Parse(map[string]string{"broker.id": "1"})
	if err != nil {
		t.Fatalf("parse default config: %v", err)
	}
	return &fakeConfigs{broker: b, minInsync: map[string]int{}}
}

func (c *fakeConfigs) ValidateTopic(cfg map[string]string) error {
	return c.broker.ValidateTopicConfigs(cfg)
}

func (c *fakeConfigs) ValidateBroker(cfg map[string]string) error {
	return config.ValidateDynamicBrokerConfigs(cfg, true)
}

func (c *fakeConfigs) DescribeTopic(overrides map[string]string, keys []string, synonyms, docs bool) []handler.ConfigEntry {
	return toEntries(c.broker.DescribeTopic(overrides, keys, synonyms, docs))
}

func (c *fakeConfigs) DescribeBroker(_ int32, perBroker, clusterDefault map[string]string, keys []string, synonyms, docs bool) []handler.ConfigEntry {
	b, _, err := c.broker.WithDynamic(perBroker, clusterDefault)
	if err != nil {
		b = c.broker
	}
	if perBroker == nil {
		return toEntries(b.DescribeBrokerDefault(keys, synonyms, docs))
	}
	return toEntries(b.DescribeBroker(keys, synonyms, docs))
}

func (c *fakeConfigs) MinInsyncReplicas(topic string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n, ok := c.minInsync[topic]; ok {
		return n
	}
	return 1
}

func (c *fakeConfigs) setMinInsync(topic string, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.minInsync[topic] = n
}

func toEntries(es []config.Entry) []handler.ConfigEntry {
	out := make([]handler.ConfigEntry, 0, len(es))
	for _, e := range es {
		ce := handler.ConfigEntry{Name: e.Name, Value: e.Value, Source: int8(e.Source), ReadOnly: e.ReadOnly,
			Sensitive: e.Sensitive, Type: int8(e.Type)}
		if e.Doc != "" {
			doc := e.Doc
			ce.Doc = &doc
		}
		for _, s := range e.Synonyms {
			ce.Synonyms = append(ce.Synonyms, handler.ConfigSynonym{Name: s.Name, Value: s.Value, Source: int8(s.Source)})
		}
		out = append(out, ce)
	}
	return out
}

// fakeLogConfigs gives each topic's log settings; DefaultConfig unless set.
type fakeLogConfigs struct {
	mu  sync.Mutex
	cfg map[string]partitionlog.Config
}

func (c *fakeLogConfigs) LogConfig(topic string) partitionlog.Config {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cfg, ok := c.cfg[topic]; ok {
		return cfg
	}
	return partitionlog.DefaultConfig()
}

func (c *fakeLogConfigs) set(topic string, fn func(*partitionlog.Config)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cfg := partitionlog.DefaultConfig()
	fn(&cfg)
	c.cfg[topic] = cfg
}

// fakeProducerIDs hands out sequential ids, or err.
type fakeProducerIDs struct {
	mu   sync.Mutex
	next int64
	err  error
}

func (p *fakeProducerIDs) NextProducerID(context.Context) (int64, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return -1, p.err
	}
	p.next++
	return p.next - 1, nil
}
