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

// batch collects what one event changed and sends it as few requests as
// possible: LeaderAndIsr and StopReplica to the replicas concerned, then
// UpdateMetadata to every live broker, as Kafka's ControllerBrokerRequestBatch.
type batch struct {
	l       *loop
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

func newBatch(l *loop) *batch {
	return &batch{l: l, lai: map[string][]int32{}, umd: map[string][]int32{}}
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

// send enqueues the requests on the brokers' channels.
func (b *batch) send(live []int32) {
	for broker, req := range b.leaderAndIsrRequests(live) {
		b.l.channels.enqueue(broker, req)
	}
	for broker, req := range b.stopReplicaRequests(live) {
		b.l.channels.enqueue(broker, req)
	}
	if len(b.umd) == 0 && len(b.deleted) == 0 && len(live) == 0 {
		return
	}
	umd := b.updateMetadataRequest()
	for _, broker := range live {
		b.l.channels.enqueue(broker, umd)
	}
}

func (b *batch) leaderAndIsrRequests(live []int32) map[int32]*kmsg.LeaderAndISRRequest {
	out := map[int32]*kmsg.LeaderAndISRRequest{}
	for _, topic := range sortedKeys(b.lai) {
		t, ok := b.l.topics[topic]
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
					req = b.newLeaderAndIsr()
					out[r] = req
				}
				addLeaderAndIsr(req, topic, t, p, st)
			}
		}
	}
	return out
}

func (b *batch) newLeaderAndIsr() *kmsg.LeaderAndISRRequest {
	req := kmsg.NewPtrLeaderAndISRRequest()
	req.Version = leaderAndIsrVersion
	req.ControllerID = b.l.c.cfg.BrokerID
	req.ControllerEpoch = b.l.epoch
	req.BrokerEpoch = -1
	for _, id := range b.l.liveIDs() {
		ep := firstEndpoint(b.l.live[id])
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

func (b *batch) stopReplicaRequests(live []int32) map[int32]*kmsg.StopReplicaRequest {
	out := map[int32]*kmsg.StopReplicaRequest{}
	for _, s := range b.stop {
		for _, r := range s.replicas {
			if !slices.Contains(live, r) {
				continue
			}
			req, ok := out[r]
			if !ok {
				req = kmsg.NewPtrStopReplicaRequest()
				req.Version, req.ControllerID, req.ControllerEpoch, req.BrokerEpoch = stopReplicaVersion, b.l.c.cfg.BrokerID, b.l.epoch, -1
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

func (b *batch) updateMetadataRequest() *kmsg.UpdateMetadataRequest {
	req := kmsg.NewPtrUpdateMetadataRequest()
	req.Version = updateMetadataVersion
	req.ControllerID, req.ControllerEpoch, req.BrokerEpoch = b.l.c.cfg.BrokerID, b.l.epoch, -1
	for _, id := range b.l.liveIDs() {
		req.LiveBrokers = append(req.LiveBrokers, liveBroker(b.l.live[id]))
	}
	for _, topic := range sortedKeys(b.umd) {
		t, ok := b.l.topics[topic]
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
