package handler_test

import (
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// TestProduceOfManyPartitions: a request's partitions, appended one after
// the other when small and concurrently when large, each get their own
// offsets in the response slot of their request entry; a partition named
// twice in one request takes its entries in order.
func TestProduceOfManyPartitions(t *testing.T) {
	small, large := strings.Repeat("s", 100), strings.Repeat("L", 40<<10)
	tests := []struct {
		name       string
		value      string
		partitions []int32 // in request order, one batch of 2 records each
		want       []int64 // base offsets in the response, same order
	}{
		{name: "small", value: small, partitions: []int32{0, 1, 2}, want: []int64{0, 0, 0}},
		{name: "large", value: large, partitions: []int32{2, 0, 1}, want: []int64{0, 0, 0}},
		{name: "large, one partition twice", value: large, partitions: []int32{1, 0, 1}, want: []int64{0, 0, 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.topic("t", ledHere(3)...)
			req := produceReq(-1, "t", 0, nil)
			req.Topics[0].Partitions = nil
			for _, p := range tc.partitions {
				rp := kmsg.NewProduceRequestTopicPartition()
				rp.Partition, rp.Records = p, batch(1000, tc.value, tc.value)
				req.Topics[0].Partitions = append(req.Topics[0].Partitions, rp)
			}
			resp := f.call(req).(*kmsg.ProduceResponse)
			got := resp.Topics[0].Partitions
			if len(got) != len(tc.partitions) {
				t.Fatalf("%d partitions answered, want %d", len(got), len(tc.partitions))
			}
			for i, p := range got {
				if p.Partition != tc.partitions[i] || p.ErrorCode != 0 || p.BaseOffset != tc.want[i] {
					t.Errorf("entry %d: partition %d error %d base offset %d; want partition %d, base offset %d",
						i, p.Partition, p.ErrorCode, p.BaseOffset, tc.partitions[i], tc.want[i])
				}
			}
		})
	}
}
