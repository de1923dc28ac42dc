package controller

import (
	"slices"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/metadatacache"
)

// Request versions the controller sends: the newest Kafka's ZooKeeper-mode
// controller sends (topic ids in LeaderAndIsr and UpdateMetadata,
// per-partition delete flags in StopReplica).
const (
	leaderAndIsrVersion   = 6
	updateMetadataVersion = 7
	stopReplicaVersion    = 3
)

// batch collects what one operation changed, to send it as few requests as
// possible: LeaderAndIsr and StopReplica to the replicas concerned, then
// UpdateMetadata to every live broker, as Kafka's ControllerBrokerRequestBatch.
type batch struct {
	lai     map[string][]int32
	umd     map[string][]int32
	stop    []stopEntry
	deleted []string
}

type stopEntry struct {
	topic     string
	partition int32
	replicas  []int32
}

func newBatch() *batch {
	return &batch{lai: map[string][]int32{}, umd: map[string][]int32{}}
}

func (b *batch) leaderAndIsrFor(topic string, partitions ...int32) {
	b.lai[topic] = appendUnique(b.lai[topic], partitions...)
	b.updateMetadataFor(topic, partitions...)
}

func (b *batch) updateMetadataFor(topic string, partitions ...int32) {
	b.umd[topic] = appendUnique(b.umd[topic], partitions...)
}

func (b *batch) stopReplicaFor(topic string, partition int32, replicas []int32) {
	b.stop = append(b.stop, stopEntry{topic, partition, replicas})
}

func appendUnique(s []int32, vs ...int32) []int32 {
	for _, v := range vs {
		if !slices.Contains(s, v) {
			s = append(s, v)
		}
	}
	return s
}

// flush emits the batch's requests, built from the states the core holds
// now (after the operation's writes): LeaderAndIsr, then StopReplica, to
// each broker concerned in broker order, then UpdateMetadata to every live
// broker.
func (c *core) flush(b *batch) {
	for _, s := range c.batchSends(b) {
		c.emit(s)
	}
}

func (c *core) batchSends(b *batch) []Send {
	live := c.liveIDs()
	var out []Send
	lai := c.leaderAndIsrRequests(b, live)
	for _, broker := range sortedIDs(lai) {
		out = append(out, Send{Broker: broker, Request: lai[broker]})
	}
	stop := c.stopReplicaRequests(b, live)
	for _, broker := range sortedIDs(stop) {
		out = append(out, Send{Broker: broker, Request: stop[broker]})
	}
	umd := c.updateMetadataRequest(b)
	for _, broker := range live {
		out = append(out, Send{Broker: broker, Request: umd})
	}
	return out
}

func (c *core) leaderAndIsrRequests(b *batch, live []int32) map[int32]*kmsg.LeaderAndISRRequest {
	out := map[int32]*kmsg.LeaderAndISRRequest{}
	for _, topic := range sortedKeys(b.lai) {
		t, ok := c.topics[topic]
		if !ok {
			continue
		}
		for _, p := range b.lai[topic] {
			st, ok := t.states[p]
			if !ok {
				continue
			}
			for _, r := range t.assignment.Replicas[p] {
				if !slices.Contains(live, r) {
					continue
				}
				req, ok := out[r]
				if !ok {
					req = c.newLeaderAndIsr()
					out[r] = req
				}
				addLeaderAndIsr(req, topic, t, p, st)
			}
		}
	}
	return out
}

func (c *core) newLeaderAndIsr() *kmsg.LeaderAndISRRequest {
	req := kmsg.NewPtrLeaderAndISRRequest()
	req.Version = leaderAndIsrVersion
	req.ControllerID = c.cfg.BrokerID
	req.ControllerEpoch = c.epoch
	req.BrokerEpoch = -1
	for _, id := range c.liveIDs() {
		ep := firstEndpoint(c.live[id])
		req.LiveLeaders = append(req.LiveLeaders, kmsg.LeaderAndISRRequestLiveLeader{BrokerID: id, Host: ep.Host, Port: ep.Port})
	}
	return req
}

func addLeaderAndIsr(req *kmsg.LeaderAndISRRequest, topic string, t *topicState, p int32, st PartitionState) {
	ps := kmsg.NewLeaderAndISRRequestTopicPartition()
	ps.Topic, ps.Partition = topic, p
	ps.ControllerEpoch, ps.Leader, ps.LeaderEpoch = st.ControllerEpoch, st.Leader, st.LeaderEpoch
	ps.ISR, ps.ZKVersion, ps.Replicas = st.ISR, st.Version, t.assignment.Replicas[p]
	for i := range req.TopicStates {
		if req.TopicStates[i].Topic == topic {
			req.TopicStates[i].PartitionStates = append(req.TopicStates[i].PartitionStates, ps)
			return
		}
	}
	ts := kmsg.NewLeaderAndISRRequestTopicState()
	ts.Topic, ts.TopicID = topic, t.assignment.ID
	ts.PartitionStates = []kmsg.LeaderAndISRRequestTopicPartition{ps}
	req.TopicStates = append(req.TopicStates, ts)
}

func (c *core) stopReplicaRequests(b *batch, live []int32) map[int32]*kmsg.StopReplicaRequest {
	out := map[int32]*kmsg.StopReplicaRequest{}
	for _, s := range b.stop {
		for _, r := range s.replicas {
			if !slices.Contains(live, r) {
				continue
			}
			req, ok := out[r]
			if !ok {
				req = c.newStopReplica()
				out[r] = req
			}
			t := kmsg.NewStopReplicaRequestTopic()
			t.Topic = s.topic
			t.PartitionStates = []kmsg.StopReplicaRequestTopicPartitionState{{Partition: s.partition, LeaderEpoch: -2, Delete: true}}
			req.Topics = append(req.Topics, t)
		}
	}
	return out
}

func (c *core) newStopReplica() *kmsg.StopReplicaRequest {
	req := kmsg.NewPtrStopReplicaRequest()
	req.Version, req.ControllerID, req.ControllerEpoch, req.BrokerEpoch = stopReplicaVersion, c.cfg.BrokerID, c.epoch, -1
	return req
}

func (c *core) updateMetadataRequest(b *batch) *kmsg.UpdateMetadataRequest {
	req := kmsg.NewPtrUpdateMetadataRequest()
	req.Version = updateMetadataVersion
	req.ControllerID, req.ControllerEpoch, req.BrokerEpoch = c.cfg.BrokerID, c.epoch, -1
	for _, id := range c.liveIDs() {
		req.LiveBrokers = append(req.LiveBrokers, liveBroker(c.live[id]))
	}
	for _, topic := range sortedKeys(b.umd) {
		t, ok := c.topics[topic]
		if !ok {
			continue
		}
		if ts := topicMetadata(topic, t, b.umd[topic]); len(ts.PartitionStates) > 0 {
			req.TopicStates = append(req.TopicStates, ts)
		}
	}
	for _, topic := range b.deleted {
		ts := kmsg.NewUpdateMetadataRequestTopicState()
		ts.Topic = topic
		ps := kmsg.NewUpdateMetadataRequestTopicPartition()
		ps.Leader = metadatacache.LeaderDuringDelete
		ts.PartitionStates = []kmsg.UpdateMetadataRequestTopicPartition{ps}
		req.TopicStates = append(req.TopicStates, ts)
	}
	return req
}

// topicMetadata announces a topic's partitions once it has a leader state:
// as Kafka's controller, it leaves out a topic never elected (none of its
// replicas was ever live), so no broker lists a topic still being created.
// Partitions of an announced topic go out even without a state yet (with no
// leader), since the cache indexes a topic's partitions densely from 0.
func topicMetadata(topic string, t *topicState, partitions []int32) kmsg.UpdateMetadataRequestTopicState {
	ts := kmsg.NewUpdateMetadataRequestTopicState()
	ts.Topic, ts.TopicID = topic, t.assignment.ID
	if len(t.states) == 0 {
		return ts
	}
	for _, p := range partitions {
		ps := kmsg.NewUpdateMetadataRequestTopicPartition()
		ps.Topic, ps.Partition, ps.Replicas = topic, p, t.assignment.Replicas[p]
		ps.Leader, ps.ISR = -1, []int32{}
		if st, ok := t.states[p]; ok {
			ps.ControllerEpoch, ps.Leader, ps.LeaderEpoch, ps.ISR, ps.ZKVersion = st.ControllerEpoch, st.Leader, st.LeaderEpoch, st.ISR, st.Version
		}
		ts.PartitionStates = append(ts.PartitionStates, ps)
	}
	return ts
}

func liveBroker(b metadatacache.Broker) kmsg.UpdateMetadataRequestLiveBroker {
	lb := kmsg.NewUpdateMetadataRequestLiveBroker()
	lb.ID, lb.Rack = b.ID, b.Rack
	for _, e := range b.Endpoints {
		lb.Endpoints = append(lb.Endpoints, kmsg.UpdateMetadataRequestLiveBrokerEndpoint{
			Port: e.Port, Host: e.Host, ListenerName: e.Listener, SecurityProtocol: e.SecurityProtocol,
		})
	}
	return lb
}

func firstEndpoint(b metadatacache.Broker) metadatacache.Endpoint {
	if len(b.Endpoints) == 0 {
		return metadatacache.Endpoint{}
	}
	return b.Endpoints[0]
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func sortedIDs[V any](m map[int32]V) []int32 {
	ids := make([]int32, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
