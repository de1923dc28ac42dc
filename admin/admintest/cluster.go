package admintest

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"sort"
	"strconv"
	"sync"

	"github.com/kqhq/kq/admin"
	"github.com/twmb/franz-go/pkg/kerr"
)

// Cluster is an in-memory cluster. The zero value is not usable; call
// NewCluster. Safe for concurrent use.
type Cluster struct {
	mu         sync.Mutex
	id         string
	controller int32
	brokers    []admin.Broker
	topics     map[string]*topic
	brokerCfg  map[string]map[string]string // broker id ("" = default) -> dynamic configs
	failures   map[string]error
	changed    chan struct{}                          // closed and replaced when records are appended
	txn        *txnState                              // transactions and producers (transactions.go)
	quotas     map[string]admin.ClientQuota           // client quotas by entity (quotas.go)
	scram      map[string][]admin.ScramCredentialInfo // users' SCRAM credentials (scram.go)

	// NumPartitions and ReplicationFactor are the broker defaults used
	// for admin.BrokerDefault; AutoCreateTopics lets producers create
	// topics on first use.
	NumPartitions     int32
	ReplicationFactor int16
	AutoCreateTopics  bool
}

type topic struct {
	name       string
	id         string
	partitions []*partition
	configs    map[string]string
}

type partition struct {
	replicas, isr []int32
	leader        int32
	logStart      int64
	records       []admin.Record
}

// NewCluster returns a cluster of the given broker ids (1 when none),
// cluster id "test-cluster", controller the first broker.
func NewCluster(brokerIDs ...int32) *Cluster {
	if len(brokerIDs) == 0 {
		brokerIDs = []int32{1}
	}
	c := &Cluster{
		id: "test-cluster", controller: brokerIDs[0],
		topics: map[string]*topic{}, brokerCfg: map[string]map[string]string{},
		failures: map[string]error{}, changed: make(chan struct{}),
		NumPartitions: 1, ReplicationFactor: 1,
	}
	for i, id := range brokerIDs {
		c.brokers = append(c.brokers, admin.Broker{ID: id, Host: "localhost", Port: 9092 + int32(i)})
	}
	return c
}

// Fail makes every later call of the named operation (a method name such as
// "CreateTopic", "Produce" or "Poll") return err; nil clears it.
func (c *Cluster) Fail(op string, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err == nil {
		delete(c.failures, op)
		return
	}
	c.failures[op] = err
}

func (c *Cluster) failure(op string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.failures[op]
}

// TopicID is the id the fake gives a topic: stable per name, so golden
// output does not change between runs.
func TopicID(name string) string {
	sum := sha256.Sum256([]byte(name))
	return base64.RawURLEncoding.EncodeToString(sum[:16])
}

// SetISR replaces a partition's in-sync replicas; an empty isr also takes
// the leader away (-1), as a broker would.
func (c *Cluster) SetISR(topicName string, p int32, isr ...int32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	part := c.topics[topicName].partitions[p]
	part.isr = isr
	part.leader = -1
	if len(isr) > 0 {
		part.leader = isr[0]
	}
}

// Records returns a copy of the records of one partition.
func (c *Cluster) Records(topicName string, p int32) []admin.Record {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.topics[topicName]
	if !ok || int(p) >= len(t.partitions) {
		return nil
	}
	return append([]admin.Record(nil), t.partitions[p].records...)
}

// Close does nothing; it completes the admin operations' method set.
func (c *Cluster) Close() {}

// Cluster describes the fake cluster.
func (c *Cluster) Cluster(ctx context.Context) (admin.Cluster, error) {
	if err := c.failure("Cluster"); err != nil {
		return admin.Cluster{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return admin.Cluster{ID: c.id, Controller: c.controller, Brokers: append([]admin.Broker(nil), c.brokers...)}, nil
}

// Topics describes topics like admin.Client.Topics.
func (c *Cluster) Topics(ctx context.Context, names ...string) ([]admin.Topic, error) {
	if err := c.failure("Topics"); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(names) == 0 {
		for name := range c.topics {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	out := make([]admin.Topic, 0, len(names))
	for _, name := range names {
		t, ok := c.topics[name]
		if !ok {
			out = append(out, admin.Topic{Name: name, Err: kerr.UnknownTopicOrPartition})
			continue
		}
		out = append(out, t.describe())
	}
	return out, nil
}

func (t *topic) describe() admin.Topic {
	d := admin.Topic{Name: t.name, ID: t.id, Internal: admin.IsInternalTopic(t.name)}
	for i, p := range t.partitions {
		d.Partitions = append(d.Partitions, admin.Partition{
			ID: int32(i), Leader: p.leader, Replicas: append([]int32(nil), p.replicas...),
			ISR: append([]int32(nil), p.isr...),
		})
	}
	return d
}

func (c *Cluster) brokerIDs() []int32 {
	ids := make([]int32, len(c.brokers))
	for i, b := range c.brokers {
		ids[i] = b.ID
	}
	return ids
}

func (c *Cluster) hasBroker(id string) bool {
	for _, b := range c.brokers {
		if strconv.Itoa(int(b.ID)) == id {
			return true
		}
	}
	return false
}

func notFound(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), kerr.UnknownTopicOrPartition)
}
