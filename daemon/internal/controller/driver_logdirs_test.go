package controller

import (
	"slices"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// The partitions a LeaderAndIsr answer refuses with KAFKA_STORAGE_ERROR,
// named by topic before v5 and by topic id (mapped through the request)
// from v5; other errors and unknown ids name nothing.
func TestStorageErrors(t *testing.T) {
	req := kmsg.NewPtrLeaderAndISRRequest()
	req.TopicStates = []kmsg.LeaderAndISRRequestTopicState{{Topic: "a", TopicID: [16]byte{1}}, {Topic: "b", TopicID: [16]byte{2}}}
	storage, other := kerr.KafkaStorageError.Code, kerr.StaleControllerEpoch.Code
	part := func(topic string, p int32, code int16) kmsg.LeaderAndISRResponseTopicPartition {
		return kmsg.LeaderAndISRResponseTopicPartition{Topic: topic, Partition: p, ErrorCode: code}
	}
	tests := []struct {
		name string
		resp kmsg.LeaderAndISRResponse
		want []TopicPartition
	}{
		{"by name", kmsg.LeaderAndISRResponse{Partitions: []kmsg.LeaderAndISRResponseTopicPartition{
			part("a", 0, storage), part("a", 1, 0), part("b", 0, other), part("b", 1, storage)}},
			[]TopicPartition{{"a", 0}, {"b", 1}}},
		{"by id", kmsg.LeaderAndISRResponse{Topics: []kmsg.LeaderAndISRResponseTopic{
			{TopicID: [16]byte{2}, Partitions: []kmsg.LeaderAndISRResponseTopicPartition{part("", 3, storage), part("", 4, 0)}},
			{TopicID: [16]byte{9}, Partitions: []kmsg.LeaderAndISRResponseTopicPartition{part("", 0, storage)}}}},
			[]TopicPartition{{"b", 3}}},
		{"none", kmsg.LeaderAndISRResponse{Partitions: []kmsg.LeaderAndISRResponseTopicPartition{part("a", 0, 0)}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := storageErrors(req, &tt.resp); !slices.Equal(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}
