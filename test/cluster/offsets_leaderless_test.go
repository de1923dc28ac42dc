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

// A partition without a leader (its only replica's broker killed), or a
// topic gone, must not blank the offsets of every other partition: admin.ListOffsets, which the
// TUI's topic table and the CLI read, keeps what the live leaders answered
// and marks only the leaderless partition.
func TestListOffsetsKeepsAnsweredPartitions(t *testing.T) {
	bs := startZKCluster(t, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	boot := bs[0].Addr
	for topic, broker := range map[string]string{"kept": "1", "lost": "2"} {
		if r := harness.KQ(t, nil, "topics", "--bootstrap-server", boot, "--create", "--topic", topic,
			"--replica-assignment", broker); r.Code != 0 {
			t.Fatalf("create %s: exit %d: %s", topic, r.Code, r.Stderr)
		}
	}
	cl := bs[0].Client(kgo.DefaultProduceTopic("kept"))
	defer cl.Close()
	for i := range 3 {
		if err := cl.ProduceSync(ctx, &kgo.Record{Value: fmt.Appendf(nil, "v%d", i)}).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	adm, err := admin.NewClient(admin.ClientConfig{Brokers: []string{boot}})
	if err != nil {
		t.Fatal(err)
	}
	defer adm.Close()
	// A topic that is gone (deleted while the TUI was listing) leaves the
	// others' offsets standing too.
	got, err := adm.ListOffsets(ctx, admin.LatestOffset, "kept", "no-such-topic")
	if err != nil || len(got) != 2 || got[0].Topic != "kept" || got[0].Offset != 3 || got[1].Err == nil {
		t.Fatalf("listing with a missing topic: %+v, %v", got, err)
	}
	bs[1].Kill()
	harness.Eventually(t, 30*time.Second, "lost-0 without a leader", func() error {
		ls, _, err := leaders(ctx, boot, "lost")
		if err != nil || ls[0] != -1 {
			return fmt.Errorf("leaders %v err %v", ls, err)
		}
		return nil
	})
	start := time.Now()
	got, err = adm.ListOffsets(ctx, admin.LatestOffset, "kept", "lost")
	if err != nil {
		t.Fatalf("ListOffsets after %v: %v", time.Since(start), err)
	}
	byTopic := map[string]admin.PartitionOffset{}
	for _, o := range got {
		byTopic[o.Topic] = o
	}
	if k := byTopic["kept"]; k.Err != nil || k.Offset != 3 {
		t.Fatalf("kept-0: %+v, want offset 3", k)
	}
	if l, ok := byTopic["lost"]; !ok || l.Err == nil {
		t.Fatalf("lost-0: %+v (listed %v), want its error", l, ok)
	}
	t.Logf("listed in %v", time.Since(start))
}
