package groups

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"

	"github.com/kqhq/kq/test/harness"
)

// describedLag is the part of `kq groups describe -o json` this test reads.
type describedLag struct {
	Group      string `json:"group"`
	State      string `json:"state"`
	TotalLag   int64  `json:"total_lag"`
	Partitions []struct {
		Partition int32 `json:"partition"`
		Committed int64 `json:"current_offset"`
		LogEnd    int64 `json:"log_end_offset"`
		Lag       int64 `json:"lag"`
	} `json:"partitions"`
}

// TestDescribeLagIsLogEndMinusCommitted produces to three partitions,
// consumes part of it as a group with kq consume --group, and checks that
// kq groups --describe reports, per partition, the log end, the committed
// offset and their difference, as the cluster itself reports them.
func TestDescribeLagIsLogEndMinusCommitted(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Props: groupProps})
	cl := b.Client()
	defer cl.Close()
	adm := kadm.NewClient(cl)
	createTopic(t, adm, "orders", 3)
	ends := produce(t, cl, "orders", 300)

	res := harness.KQ(t, nil, "consume", "orders", "-b", b.Addr, "--group", "billing", "--from-beginning", "--max-messages", "120")
	if res.Code != 0 || strings.Count(res.Stdout, "\n") != 120 {
		t.Fatalf("consume --group: exit %d, %d lines\n%s", res.Code, strings.Count(res.Stdout, "\n"), res.Stderr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	committed, err := adm.FetchOffsets(ctx, "billing")
	if err != nil {
		t.Fatal(err)
	}
	var sumCommitted int64
	committed.Each(func(o kadm.OffsetResponse) { sumCommitted += max(o.At, 0) })
	if sumCommitted != 120 {
		t.Fatalf("committed %d records, want the 120 printed", sumCommitted)
	}

	res = harness.KQ(t, nil, "groups", "describe", "billing", "-b", b.Addr, "-o", "json")
	var got []describedLag
	if err := json.Unmarshal([]byte(res.Stdout), &got); err != nil || res.Code != 0 || len(got) != 1 {
		t.Fatalf("describe -o json: exit %d, %v\n%s%s", res.Code, err, res.Stdout, res.Stderr)
	}
	var total, want int64
	committed.Each(func(o kadm.OffsetResponse) {
		if o.At >= 0 {
			want += ends[o.Partition] - o.At
		}
	})
	for _, p := range got[0].Partitions {
		c, _ := committed.Lookup("orders", p.Partition)
		want := ends[p.Partition] - max(c.At, 0)
		if p.LogEnd != ends[p.Partition] || (c.At >= 0 && p.Committed != c.At) || (p.Committed >= 0 && p.Lag != want) {
			t.Errorf("partition %d: %+v; log end %d, committed %d", p.Partition, p, ends[p.Partition], c.At)
		}
		total += max(p.Lag, 0)
	}
	// An empty group shows the partitions it committed, as Kafka's tool.
	if got[0].TotalLag != want || total != want || got[0].State != "Empty" {
		t.Fatalf("total lag %d (rows %d), state %s; want %d, Empty", got[0].TotalLag, total, got[0].State, want)
	}
	text := harness.KQ(t, nil, "groups", "--describe", "--group", "billing", "-b", b.Addr)
	if !strings.Contains(text.Stdout, "GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG") ||
		!strings.Contains(text.Stderr, fmt.Sprintf("Total lag of group 'billing': %d", want)) {
		t.Fatalf("describe text:\n%s\n%s", text.Stdout, text.Stderr)
	}
}

// TestResetOffsets: refused while the group has a member, a dry run by
// default, and a datetime before the log start means the log start.
func TestResetOffsets(t *testing.T) {
	b := harness.StartBroker(t, harness.Options{BrokerID: 1, Props: groupProps})
	cl := b.Client()
	defer cl.Close()
	createTopic(t, kadm.NewClient(cl), "events", 2)
	produce(t, cl, "events", 100)
	res := harness.KQ(t, nil, "consume", "events", "-b", b.Addr, "--group", "g", "--from-beginning", "--exit-at-end")
	if res.Code != 0 {
		t.Fatalf("consume: %d %s", res.Code, res.Stderr)
	}

	m := startMember(t, newTracker(t, "events", 2), b.Addr, "g", "live", nil)
	harness.Eventually(t, 20*time.Second, "the member joined", func() error {
		r := harness.KQ(t, nil, "groups", "describe", "g", "--state", "-b", b.Addr)
		if !strings.Contains(r.Stdout, "Stable") {
			return fmt.Errorf("not stable yet: %s", r.Stdout)
		}
		return nil
	})
	refused := harness.KQ(t, nil, "groups", "--reset-offsets", "--group", "g", "--topic", "events", "--to-earliest", "--execute", "-b", b.Addr)
	if refused.Code == 0 || !strings.Contains(refused.Stderr, "can only be reset if the group 'g' is inactive") {
		t.Fatalf("reset of an active group: exit %d\n%s", refused.Code, refused.Stderr)
	}
	m.leave()

	dry := harness.KQ(t, nil, "groups", "--reset-offsets", "--group", "g", "--all-topics", "--to-datetime", "1999-01-01T00:00:00.000", "-b", b.Addr)
	if dry.Code != 0 || !strings.Contains(dry.Stdout, "events                         0          0") {
		t.Fatalf("dry run: exit %d\n%s%s", dry.Code, dry.Stdout, dry.Stderr)
	}
	if lag := totalLag(t, b.Addr, "g"); lag != 0 {
		t.Fatalf("a dry run changed the offsets: lag %d", lag)
	}
	exec := harness.KQ(t, nil, "groups", "reset-offsets", "g", "--all-topics", "--to-datetime", "1999-01-01T00:00:00.000", "--execute", "-b", b.Addr)
	if exec.Code != 0 {
		t.Fatalf("execute: %d %s", exec.Code, exec.Stderr)
	}
	if lag := totalLag(t, b.Addr, "g"); lag != 100 {
		t.Fatalf("lag after resetting to before the log start: %d, want 100", lag)
	}
}

func totalLag(t *testing.T, addr, group string) int64 {
	t.Helper()
	res := harness.KQ(t, nil, "groups", "describe", group, "-b", addr, "-o", "json")
	var got []describedLag
	if err := json.Unmarshal([]byte(res.Stdout), &got); err != nil || len(got) != 1 {
		t.Fatalf("describe: %v\n%s%s", err, res.Stdout, res.Stderr)
	}
	return got[0].TotalLag
}
