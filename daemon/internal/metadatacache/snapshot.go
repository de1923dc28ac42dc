package metadatacache

import "sort"

// NoLeader is the leader id of a partition without a live leader (offline).
const NoLeader int32 = -1

// Endpoint is one listener of a broker as clients and other brokers reach it.
type Endpoint struct {
	Listener         string
	Host             string
	Port             int32
	SecurityProtocol int16
}

// Broker is a live broker.
type Broker struct {
	ID        int32
	Rack      *string
	Endpoints []Endpoint
}

// Endpoint returns the broker's endpoint on the named listener.
func (b Broker) Endpoint(listener string) (Endpoint, bool) {
	for _, e := range b.Endpoints {
		if e.Listener == listener {
			return e, true
		}
	}
	return Endpoint{}, false
}

// Partition is the controller's latest word on one partition.
type Partition struct {
	Partition       int32
	Leader          int32
	LeaderEpoch     int32
	ControllerEpoch int32
	ZkVersion       int32
	Replicas        []int32
	ISR             []int32
	Offline         []int32
}

// Topic is a topic and its partitions, indexed by partition id.
type Topic struct {
	Name       string
	ID         [16]byte
	Partitions []Partition
}

// Snapshot is an immutable view of the cluster. Never modify one obtained
// from Cache.Load.
type Snapshot struct {
	ClusterID    string
	ControllerID int32
	Brokers      map[int32]Broker
	Topics       map[string]*Topic
	topicsByID   map[[16]byte]string
}

// Topic returns the named topic.
func (s *Snapshot) Topic(name string) (*Topic, bool) {
	t, ok := s.Topics[name]
	return t, ok
}

// TopicName returns the name of the topic with the given id.
func (s *Snapshot) TopicName(id [16]byte) (string, bool) {
	n, ok := s.topicsByID[id]
	return n, ok
}

// Partition returns one partition of a topic.
func (s *Snapshot) Partition(topic string, partition int32) (Partition, bool) {
	t, ok := s.Topics[topic]
	if !ok || partition < 0 || int(partition) >= len(t.Partitions) {
		return Partition{}, false
	}
	return t.Partitions[partition], true
}

// TopicNames returns every topic name, sorted.
func (s *Snapshot) TopicNames() []string {
	names := make([]string, 0, len(s.Topics))
	for n := range s.Topics {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// BrokerIDs returns the live broker ids, sorted.
func (s *Snapshot) BrokerIDs() []int32 {
	ids := make([]int32, 0, len(s.Brokers))
	for id := range s.Brokers {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}
