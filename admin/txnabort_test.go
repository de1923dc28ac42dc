package admin

import (
	"errors"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

func TestResolveAbortSpec(t *testing.T) {
	pps := []PartitionProducers{
		{Topic: "t", Partition: 1, Producers: []ProducerState{{ProducerID: 9, CurrentTransactionStartOffset: 5}}},
		{Topic: "t", Partition: 0, Producers: []ProducerState{
			{ProducerID: 7, ProducerEpoch: 3, CoordinatorEpoch: 4, CurrentTransactionStartOffset: 12},
			{ProducerID: 8, ProducerEpoch: 1, CoordinatorEpoch: -1, CurrentTransactionStartOffset: 5},
		}},
	}
	tests := []struct {
		name  string
		spec  AbortSpec
		want  AbortSpec
		found bool
	}{
		{"the producer at the offset", AbortSpec{Topic: "t", Partition: 0, StartOffset: 12},
			AbortSpec{Topic: "t", Partition: 0, ProducerID: 7, ProducerEpoch: 3, CoordinatorEpoch: 4, StartOffset: 12}, true},
		{"no marker yet: coordinator epoch 0", AbortSpec{Topic: "t", Partition: 0, StartOffset: 5},
			AbortSpec{Topic: "t", Partition: 0, ProducerID: 8, ProducerEpoch: 1, CoordinatorEpoch: 0, StartOffset: 5}, true},
		{"no transaction starts there", AbortSpec{Topic: "t", Partition: 0, StartOffset: 6}, AbortSpec{}, false},
		{"another partition's producer does not count", AbortSpec{Topic: "t", Partition: 2, StartOffset: 5}, AbortSpec{}, false},
	}
	for _, tt := range tests {
		got, err := ResolveAbortSpec(tt.spec, pps)
		switch {
		case tt.found && (err != nil || got != tt.want):
			t.Errorf("%s: got %+v, %v; want %+v", tt.name, got, err, tt.want)
		case !tt.found && !errors.Is(err, ErrNotFound):
			t.Errorf("%s: got %+v, %v; want a not-found error", tt.name, got, err)
		}
	}
	pps[1].Err = kerr.NotLeaderForPartition
	if _, err := ResolveAbortSpec(AbortSpec{Topic: "t", Partition: 0, StartOffset: 12}, pps); !errors.Is(err, kerr.NotLeaderForPartition) {
		t.Errorf("a partition error: got %v", err)
	}
}

func TestMarkerError(t *testing.T) {
	spec := AbortSpec{Topic: "t", Partition: 2, ProducerID: 7}
	resp := func(pid int64, partition int32, code int16) *kmsg.WriteTxnMarkersResponse {
		r := kmsg.NewPtrWriteTxnMarkersResponse()
		m := kmsg.NewWriteTxnMarkersResponseMarker()
		m.ProducerID = pid
		mt := kmsg.NewWriteTxnMarkersResponseMarkerTopic()
		mt.Topic = "t"
		mp := kmsg.NewWriteTxnMarkersResponseMarkerTopicPartition()
		mp.Partition, mp.ErrorCode = partition, code
		mt.Partitions = append(mt.Partitions, mp)
		m.Topics = append(m.Topics, mt)
		r.Markers = append(r.Markers, m)
		return r
	}
	if err := markerError(resp(7, 2, 0), spec); err != nil {
		t.Errorf("success: %v", err)
	}
	if err := markerError(resp(7, 2, kerr.InvalidProducerEpoch.Code), spec); !errors.Is(err, kerr.InvalidProducerEpoch) {
		t.Errorf("INVALID_PRODUCER_EPOCH: got %v", err)
	}
	if err := markerError(resp(7, 3, 0), spec); err == nil {
		t.Error("an answer for another partition should be an error")
	}
}
