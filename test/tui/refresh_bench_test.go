package tui

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/test/harness"
	"github.com/kqhq/kq/tui/snapshot"
)

// BenchmarkRefreshGroups measures one refresh of `kq tui` (what
// snapshot.Collect asks a real cluster) with N consumer groups on
// `kq server --brokers 3`: every group described each time (budget off)
// with 8, 1 and 32 requests in flight, and with the default budget. It is the measurement behind
// snapshot.DefaultGroupBudget:
//
//	go test -run - -bench RefreshGroups ./test/tui/
func BenchmarkRefreshGroups(b *testing.B) {
	cluster, addrs := harness.StartLocalCluster(b, 3, nil)
	if res := harness.KQ(b, nil, "-b", cluster.Addr, "topics", "create", "orders", "-p", "6", "-r", "3"); res.Code != 0 {
		b.Fatalf("create orders: %s", res.Stderr)
	}
	cl, err := admin.NewClient(admin.ClientConfig{Brokers: addrs, RequestTimeout: 10 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	defer cl.Close()
	made := 0
	for _, n := range []int{0, 100, 500, 1000} {
		for ; made < n; made++ {
			commit(b, cl, fmt.Sprintf("group-%04d", made))
		}
		for _, o := range []struct {
			name string
			opts snapshot.Options
		}{
			{"all", snapshot.Options{GroupBudget: -1}},
			{"all-serial", snapshot.Options{GroupBudget: -1, Concurrency: 1}},
			{"all-32", snapshot.Options{GroupBudget: -1, Concurrency: 32}},
			{"budget", snapshot.Options{}},
		} {
			b.Run(fmt.Sprintf("groups=%d/%s", n, o.name), func(b *testing.B) {
				var s *snapshot.Snapshot
				for b.Loop() {
					if s, err = snapshot.CollectWith(context.Background(), cl, s, time.Now(), o.opts); err != nil || s.Err != nil {
						b.Fatalf("refresh: %v %v", err, s.Err)
					}
				}
				if len(s.Groups) != n {
					b.Fatalf("%d groups seen, %d made", len(s.Groups), n)
				}
			})
		}
	}
}

// commit creates an Empty group by committing offsets from outside it,
// retrying while the coordinators load.
func commit(b *testing.B, cl *admin.Client, group string) {
	b.Helper()
	var offsets []admin.GroupOffset
	for p := range int32(6) {
		offsets = append(offsets, admin.GroupOffset{Topic: "orders", Partition: p, Offset: 0})
	}
	harness.Eventually(b, 30*time.Second, "a commit of "+group, func() error {
		return cl.CommitGroupOffsets(context.Background(), group, offsets)
	})
}
