package metadatacache

import (
	"errors"
	"fmt"
	"maps"
	"sync"
	"sync/atomic"
)

// LeaderDuringDelete is the leader id the controller sends in UpdateMetadata
// for partitions of a topic being deleted (Kafka's LeaderAndIsr.LeaderDuringDelete).
const LeaderDuringDelete int32 = -2

// Update is one UpdateMetadata request in plain terms: the full set of live
// brokers, the controller, and the partitions whose state changed.
type Update struct {
	ControllerID    int32
	ControllerEpoch int32
	Brokers         []Broker
	Topics          []TopicUpdate
}

// TopicUpdate carries changed partitions of one topic.
type TopicUpdate struct {
	Name       string
	ID         [16]byte
	Partitions []Partition
}

// ErrStaleControllerEpoch is returned by Apply for an update from a
// controller older than one already heard from: a deposed controller that
// has not noticed yet must not roll the cache back.
var ErrStaleControllerEpoch = errors.New("stale controller epoch")

// Cache is the broker's metadata cache. Load is lock-free; Apply serialises
// writers.
type Cache struct {
	mu              sync.Mutex // serialises Apply
	current         atomic.Pointer[Snapshot]
	changed         chan struct{}
	controllerEpoch int32
}

// New returns an empty cache for the given cluster.
func New(clusterID string) *Cache {
	c := &Cache{changed: make(chan struct{})}
	c.current.Store(&Snapshot{
		ClusterID:    clusterID,
		ControllerID: -1,
		Brokers:      map[int32]Broker{},
		Topics:       map[string]*Topic{},
		topicsByID:   map[[16]byte]string{},
	})
	return c
}

// Load returns the current snapshot.
func (c *Cache) Load() *Snapshot { return c.current.Load() }

// Changed returns a channel closed at the next Apply, for callers that wait
// for metadata to appear (CreateTopics waits for leaders).
func (c *Cache) Changed() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.changed
}

// SetClusterID records the cluster id once it is known.
func (c *Cache) SetClusterID(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	next := *c.current.Load()
	next.ClusterID = id
	c.publish(&next)
}

// Apply merges an UpdateMetadata into the cache. Partitions whose leader is
// LeaderDuringDelete remove their topic.
func (c *Cache) Apply(u Update) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if u.ControllerEpoch < c.controllerEpoch {
		return fmt.Errorf("%w: update from epoch %d, already at %d", ErrStaleControllerEpoch, u.ControllerEpoch, c.controllerEpoch)
	}
	c.controllerEpoch = u.ControllerEpoch
	prev := c.current.Load()
	next := &Snapshot{
		ClusterID:    prev.ClusterID,
		ControllerID: u.ControllerID,
		Brokers:      make(map[int32]Broker, len(u.Brokers)),
		Topics:       maps.Clone(prev.Topics),
		topicsByID:   maps.Clone(prev.topicsByID),
	}
	for _, b := range u.Brokers {
		next.Brokers[b.ID] = b
	}
	for _, tu := range u.Topics {
		next.applyTopic(tu)
	}
	c.publish(next)
	return nil
}

// applyTopic merges one topic's changed partitions. A topic is known
// through its partitions, as in Kafka's cache: an update naming a topic the
// cache lacks (or a new incarnation of it) without any partition is
// ignored, so no reader ever sees a topic with none.
func (s *Snapshot) applyTopic(tu TopicUpdate) {
	for _, p := range tu.Partitions {
		if p.Leader == LeaderDuringDelete {
			s.removeTopic(tu.Name)
			return
		}
	}
	old := s.Topics[tu.Name]
	if len(tu.Partitions) == 0 && (old == nil || (tu.ID != ([16]byte{}) && tu.ID != old.ID)) {
		return
	}
	t := &Topic{Name: tu.Name, ID: tu.ID}
	if old != nil {
		if tu.ID == ([16]byte{}) {
			t.ID = old.ID
		}
		if old.ID == t.ID {
			t.Partitions = append([]Partition(nil), old.Partitions...)
		} else {
			delete(s.topicsByID, old.ID)
		}
	}
	for _, p := range tu.Partitions {
		for int(p.Partition) >= len(t.Partitions) {
			t.Partitions = append(t.Partitions, Partition{Partition: int32(len(t.Partitions)), Leader: NoLeader})
		}
		t.Partitions[p.Partition] = p
	}
	s.Topics[tu.Name] = t
	s.topicsByID[t.ID] = tu.Name
}

func (s *Snapshot) removeTopic(name string) {
	if t, ok := s.Topics[name]; ok {
		delete(s.topicsByID, t.ID)
		delete(s.Topics, name)
	}
}

func (c *Cache) publish(s *Snapshot) {
	c.current.Store(s)
	close(c.changed)
	c.changed = make(chan struct{})
}
