package cluster

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/test/harness"
)

// admin.LogEndOffsets asks each leader as a debugging replica (replica id
// -2) and gets its log end: here, with acks=all writes done, the high
// watermark, partition by partition.
func TestLogEndOffsetsFromLeaders(t *testing.T) {
	b, addrs := harness.StartLocalCluster(t, 3, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if _, err := b.Admin().CreateTopic(ctx, 3, 3, nil, "ends"); err != nil {
		t.Fatal(err)
	}
	cl := b.Client(kgo.RecordPartitioner(kgo.ManualPartitioner()), kgo.RequiredAcks(kgo.AllISRAcks()))
	defer cl.Close()
	want := map[int32]int64{0: 3, 1: 0, 2: 5}
	for p, n := range want {
		for i := range n {
			r := &kgo.Record{Topic: "ends", Partition: p, Value: fmt.Appendf(nil, "v%d", i)}
			if err := cl.ProduceSync(ctx, r).FirstErr(); err != nil {
				t.Fatalf("produce to ends-%d: %v", p, err)
			}
		}
	}
	adm, err := admin.NewClient(admin.ClientConfig{Brokers: addrs})
	if err != nil {
		t.Fatal(err)
	}
	defer adm.Close()
	harness.Eventually(t, 30*time.Second, "log ends from every leader", func() error {
		ends, err := adm.LogEndOffsets(ctx, "ends")
		if err != nil {
			return err
		}
		for p, n := range want {
			if got, ok := ends["ends"][p]; !ok || got != n {
				return fmt.Errorf("ends-%d: log end %d (reported %v), want %d", p, got, ok, n)
			}
		}
		return nil
	})
}
