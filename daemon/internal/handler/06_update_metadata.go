package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/daemon/internal/server"
)

// UpdateMetadata v0-8, from the controller: the live brokers and partition
// states that feed this broker's metadata cache. The controller epoch it
// carries is the one LeaderAndIsr and StopReplica are judged by too, as
// Kafka's ReplicaManager keeps a single one.
func (h *Handler) updateMetadata(_ context.Context, _ *server.Request, body *kmsg.UpdateMetadataRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.UpdateMetadataResponse)
	if err := h.deps.Replicas.AcceptControllerEpoch(body.ControllerEpoch); err != nil {
		h.log.Info("ignoring UpdateMetadata", "controller", body.ControllerID, "err", err)
		resp.ErrorCode = kafkaerr.Code(err)
		return resp, nil
	}
	if err := h.deps.Cache.Apply(metadataUpdate(body)); err != nil {
		h.log.Info("ignoring UpdateMetadata", "controller", body.ControllerID, "err", err)
		resp.ErrorCode = kerr.StaleControllerEpoch.Code
	}
	return resp, nil
}

func metadataUpdate(body *kmsg.UpdateMetadataRequest) metadatacache.Update {
	u := metadatacache.Update{ControllerID: body.ControllerID, ControllerEpoch: body.ControllerEpoch}
	for _, b := range body.LiveBrokers {
		u.Brokers = append(u.Brokers, liveBroker(b))
	}
	byTopic := map[string]int{}
	add := func(topic string, id [16]byte, ps kmsg.UpdateMetadataRequestTopicPartition) {
		i, ok := byTopic[topic]
		if !ok {
			i = len(u.Topics)
			byTopic[topic] = i
			u.Topics = append(u.Topics, metadatacache.TopicUpdate{Name: topic, ID: id})
		}
		u.Topics[i].Partitions = append(u.Topics[i].Partitions, metadatacache.Partition{
			Partition: ps.Partition, Leader: ps.Leader, LeaderEpoch: ps.LeaderEpoch,
			ControllerEpoch: ps.ControllerEpoch, ZkVersion: ps.ZKVersion,
			Replicas: ps.Replicas, ISR: ps.ISR, Offline: ps.OfflineReplicas,
		})
	}
	for _, ps := range body.PartitionStates {
		add(ps.Topic, [16]byte{}, ps)
	}
	for _, ts := range body.TopicStates {
		for _, ps := range ts.PartitionStates {
			add(ts.Topic, ts.TopicID, ps)
		}
	}
	return u
}

func liveBroker(b kmsg.UpdateMetadataRequestLiveBroker) metadatacache.Broker {
	out := metadatacache.Broker{ID: b.ID, Rack: b.Rack}
	if len(b.Endpoints) == 0 { // v0: one plaintext endpoint
		out.Endpoints = []metadatacache.Endpoint{{Listener: "PLAINTEXT", Host: b.Host, Port: b.Port}}
	}
	for _, e := range b.Endpoints {
		name := e.ListenerName
		if name == "" {
			name = securityProtocolName(e.SecurityProtocol)
		}
		out.Endpoints = append(out.Endpoints, metadatacache.Endpoint{Listener: name, Host: e.Host, Port: e.Port, SecurityProtocol: e.SecurityProtocol})
	}
	return out
}

// securityProtocolName names Kafka's security protocol ids, which were the
// listener names before listener names existed (UpdateMetadata v1-2).
func securityProtocolName(id int16) string {
	switch id {
	case 1:
		return "SSL"
	case 2:
		return "SASL_PLAINTEXT"
	case 3:
		return "SASL_SSL"
	default:
		return "PLAINTEXT"
	}
}
