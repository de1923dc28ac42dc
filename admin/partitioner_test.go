package admin

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"
)

type countingIter struct{ i, n int }

func (c *countingIter) Next() (int, int64) { c.i++; return c.i - 1, 0 }
func (c *countingIter) Rem() int           { return c.n - c.i }

func TestExplicitOrDefault(t *testing.T) {
	tp := newExplicitOrDefault(producerSettings{}.fallbackPartitioner()).ForTopic("t").(*explicitTopicPartitioner)
	explicit := &kgo.Record{Partition: 2}
	if !tp.RequiresConsistency(explicit) {
		t.Fatal("explicit partitions need the full partition list")
	}
	if got := tp.PartitionByBackup(explicit, 4, &countingIter{n: 4}); got != 2 {
		t.Fatalf("explicit: got %d", got)
	}
	keyed := &kgo.Record{Partition: AnyPartition, Key: []byte("k")}
	first := tp.PartitionByBackup(keyed, 4, &countingIter{n: 4})
	for range 5 {
		if got := tp.PartitionByBackup(keyed, 4, &countingIter{n: 4}); got != first {
			t.Fatalf("key hashing not stable: %d then %d", first, got)
		}
	}
	if first < 0 || first >= 4 {
		t.Fatalf("key hashed out of range: %d", first)
	}
}

func TestRecordRoundTripThroughKgo(t *testing.T) {
	in := Record{Topic: "t", Partition: 1, Key: []byte{}, Value: nil,
		Headers: []Header{{Key: "h", Value: nil}, {Key: "g", Value: []byte("v")}}}
	out := recordFromKgo(in.toKgo())
	if out.Key == nil || out.Value != nil || out.Headers[0].Value != nil || string(out.Headers[1].Value) != "v" {
		t.Fatalf("null/empty distinction lost: %+v", out)
	}
}
