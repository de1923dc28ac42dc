package admintest

import (
	"slices"
	"time"

	"github.com/kqhq/kq/admin"
)

// StopBroker takes a broker out of the cluster as a crash would: it leaves
// the metadata's broker list, every ISR it was in shrinks, and the
// partitions it led move to the next in-sync replica. As in Kafka, the last
// member of an ISR is kept when nothing else is in sync, and the partition
// goes offline (leader -1). A controller that stops hands over to the
// lowest live broker id. Stopping an unknown id does nothing.
func (c *Cluster) StopBroker(id int32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	i := slices.IndexFunc(c.brokers, func(b admin.Broker) bool { return b.ID == id })
	if i < 0 {
		return
	}
	c.brokers = slices.Delete(c.brokers, i, i+1)
	for _, t := range c.topics {
		for _, p := range t.partitions {
			p.dropReplica(id)
		}
	}
	if c.controller == id {
		c.controller = -1
		if len(c.brokers) > 0 {
			c.controller = c.brokers[0].ID
		}
	}
}

// dropReplica removes a stopped broker from the partition's ISR and
// leadership.
func (p *partition) dropReplica(id int32) {
	if !slices.Contains(p.isr, id) {
		return
	}
	if len(p.isr) > 1 {
		p.isr = slices.DeleteFunc(slices.Clone(p.isr), func(r int32) bool { return r == id })
	}
	if p.leader != id {
		return
	}
	p.leader = -1
	if len(p.isr) > 0 && p.isr[0] != id {
		p.leader = p.isr[0]
	}
}

// SetLogStart moves a partition's log start offset forward, as retention or
// DeleteRecords would; records below it are dropped.
func (c *Cluster) SetLogStart(topicName string, p int32, offset int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	part := c.topics[topicName].partitions[p]
	for part.logStart < offset && len(part.records) > 0 {
		part.records = part.records[1:]
		part.logStart++
	}
	if part.logStart < offset {
		part.logStart = offset
	}
}

// AppendRecords adds n empty records to a partition at once, moving its
// high watermark as a busy producer would, without a producer's per-record
// cost: for tests that need large offsets.
func (c *Cluster) AppendRecords(topicName string, p int32, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	part := c.topics[topicName].partitions[p]
	now := time.Now()
	for range n {
		part.records = append(part.records, admin.Record{Topic: topicName, Partition: p, Offset: part.end(), Timestamp: now})
	}
	close(c.changed)
	c.changed = make(chan struct{})
}
