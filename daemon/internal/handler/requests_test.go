package handler_test

import (
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Request builders: the versions current franz-go negotiates unless a test
// sets another.

func produceReq(acks int16, topic string, partition int32, records []byte) *kmsg.ProduceRequest {
	req := kmsg.NewPtrProduceRequest()
	req.Version, req.Acks, req.TimeoutMillis = 9, acks, int32(testTimeout.Milliseconds())
	rp := kmsg.NewProduceRequestTopicPartition()
	rp.Partition, rp.Records = partition, records
	rt := kmsg.NewProduceRequestTopic()
	rt.Topic, rt.Partitions = topic, []kmsg.ProduceRequestTopicPartition{rp}
	req.Topics = []kmsg.ProduceRequestTopic{rt}
	return req
}

// produce appends records with acks=1 and returns the base offset.
func (f *fixture) produce(topic string, partition int32, records []byte) int64 {
	f.t.Helper()
	resp := f.call(produceReq(1, topic, partition, records)).(*kmsg.ProduceResponse)
	p := resp.Topics[0].Partitions[0]
	if p.ErrorCode != 0 {
		f.t.Fatalf("produce to %s-%d: error %d", topic, partition, p.ErrorCode)
	}
	return p.BaseOffset
}

// fetchPart is one partition of a fetch request.
type fetchPart struct {
	topic     string
	partition int32
	offset    int64
	maxBytes  int32 // 0: 1 MiB
	epoch     int32 // current leader epoch; 0 is a real epoch, use -1 for none
	topicID   [16]byte
}

func fetchReq(maxWaitMs, minBytes, maxBytes int32, parts ...fetchPart) *kmsg.FetchRequest {
	req := kmsg.NewPtrFetchRequest()
	req.Version, req.ReplicaID = 12, -1
	req.MaxWaitMillis, req.MinBytes, req.MaxBytes = maxWaitMs, minBytes, maxBytes
	req.SessionEpoch = -1
	for _, fp := range parts {
		if len(req.Topics) == 0 || req.Topics[len(req.Topics)-1].Topic != fp.topic {
			rt := kmsg.NewFetchRequestTopic()
			rt.Topic, rt.TopicID = fp.topic, fp.topicID
			req.Topics = append(req.Topics, rt)
		}
		rp := kmsg.NewFetchRequestTopicPartition()
		rp.Partition, rp.FetchOffset, rp.CurrentLeaderEpoch = fp.partition, fp.offset, fp.epoch
		rp.PartitionMaxBytes = fp.maxBytes
		if rp.PartitionMaxBytes == 0 {
			rp.PartitionMaxBytes = 1 << 20
		}
		rt := &req.Topics[len(req.Topics)-1]
		rt.Partitions = append(rt.Partitions, rp)
	}
	return req
}

// followerFetch is a fetch from replica id at offset, which tells the leader
// how far that follower has replicated.
func followerFetch(replicaID int32, topic string, partition int32, offset int64) *kmsg.FetchRequest {
	req := fetchReq(0, 1, 1<<20, fetchPart{topic: topic, partition: partition, offset: offset, epoch: -1})
	req.ReplicaID = replicaID
	return req
}

func listOffsetsReq(version int16, topic string, partition int32, timestamp int64) *kmsg.ListOffsetsRequest {
	req := kmsg.NewPtrListOffsetsRequest()
	req.Version, req.ReplicaID = version, -1
	rp := kmsg.NewListOffsetsRequestTopicPartition()
	rp.Partition, rp.Timestamp, rp.MaxNumOffsets = partition, timestamp, 1
	rt := kmsg.NewListOffsetsRequestTopic()
	rt.Topic, rt.Partitions = topic, []kmsg.ListOffsetsRequestTopicPartition{rp}
	req.Topics = []kmsg.ListOffsetsRequestTopic{rt}
	return req
}

func metadataReq(version int16, topics ...string) *kmsg.MetadataRequest {
	req := kmsg.NewPtrMetadataRequest()
	req.Version, req.AllowAutoTopicCreation = version, true
	req.Topics = []kmsg.MetadataRequestTopic{}
	for _, name := range topics {
		rt := kmsg.NewMetadataRequestTopic()
		rt.Topic = kmsg.StringPtr(name)
		req.Topics = append(req.Topics, rt)
	}
	return req
}

func createTopicsReq(version int16, topics ...kmsg.CreateTopicsRequestTopic) *kmsg.CreateTopicsRequest {
	req := kmsg.NewPtrCreateTopicsRequest()
	req.Version, req.TimeoutMillis, req.Topics = version, int32(testTimeout.Milliseconds()), topics
	return req
}

func newTopic(name string, partitions int32, rf int16, configs ...string) kmsg.CreateTopicsRequestTopic {
	rt := kmsg.NewCreateTopicsRequestTopic()
	rt.Topic, rt.NumPartitions, rt.ReplicationFactor = name, partitions, rf
	for i := 0; i+1 < len(configs); i += 2 {
		c := kmsg.NewCreateTopicsRequestTopicConfig()
		c.Name, c.Value = configs[i], kmsg.StringPtr(configs[i+1])
		rt.Configs = append(rt.Configs, c)
	}
	return rt
}
