package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/tui/pages"
	"github.com/twmb/franz-go/pkg/kerr"
)

// The views of issue 19's bugs, each at 80x24 and at 60x15 (and wider
// where a column that matters only shows there).

// shardErrors answers ListOffsets as kadm does when a broker's shard
// failed: the partitions that answered, and an error for the others.
type shardErrors struct{ *fakeCluster }

func (s shardErrors) ListOffsets(ctx context.Context, ts int64, topics ...string) ([]admin.PartitionOffset, error) {
	listed, err := s.fakeCluster.ListOffsets(ctx, ts, topics...)
	if err != nil {
		return nil, err
	}
	var failed []error
	for _, o := range listed {
		if o.Err != nil {
			failed = append(failed, fmt.Errorf("%s-%d: %w", o.Topic, o.Partition, o.Err))
		}
	}
	return listed, errors.Join(failed...)
}

// leaderless adds clicks (partition 0 on broker 3 alone, partition 1 on
// broker 1) to the busy cluster, then stops broker 3 with orders still
// growing: audit-0 and clicks-0 lose their leader, the source reporting
// their shard's failure as kadm does.
func (f *fixture) leaderless() {
	f.remodel(func(o *Options) { o.Source = shardErrors{f.cluster} })
	spec := admin.TopicSpec{Name: "clicks", Partitions: admin.BrokerDefault, ReplicationFactor: admin.BrokerDefault,
		Assignment: [][]int32{{3}, {1}}}
	if _, err := f.cluster.CreateTopic(context.Background(), spec); err != nil {
		f.t.Fatal(err)
	}
	f.produce("clicks", 0, 70)
	f.produce("clicks", 1, 50)
	f.busy()
	f.cluster.StopBroker(3)
	f.produce("orders", 2, 8000)
	f.produce("clicks", 1, 100)
	f.refreshAt(4 * time.Second)
	f.keys("j", "j") // clicks
}

// rateAfterAction runs an election whose refresh cannot read orders-1
// (its leader moving), then refreshes again once it can.
func (f *fixture) rateAfterAction() {
	f.busy()
	f.cluster.SetISR("orders", 1, 3, 2) // led by 3, preferred 2
	f.produce("orders", 0, 2000)
	f.produce("orders", 1, 2000)
	f.refreshAt(4 * time.Second)
	f.keys("j", "j") // orders
	f.cluster.FailPartition("orders", 1, kerr.NotLeaderForPartition)
	f.produce("orders", 1, 2000)
	f.now = t0.Add(5 * time.Second)
	f.press("e", "y")
	f.cluster.FailPartition("orders", 1, nil)
	f.produce("orders", 1, 2000)
	f.produce("orders", 0, 2000)
	f.refreshAt(6 * time.Second)
}

// createTopicFailed confirms a topic the cluster then refuses with a long
// error.
func (f *fixture) createTopicFailed() {
	f.busy()
	f.command("create-topic clicks 12 3")
	f.cluster.Fail("CreateTopic", errors.New("create topic clicks: INVALID_REPLICATION_FACTOR: Replication factor: 3 "+
		"larger than available brokers: 2 (broker 3 is fenced and will not take replicas until it registers again)"))
	f.press("y")
}

func TestBugViews(t *testing.T) {
	sizes := []struct{ width, height int }{{80, 24}, {60, 15}}
	tests := []struct {
		name  string
		wide  bool // also at 140x30
		stage func(f *fixture)
	}{
		{"leaderless", true, (*fixture).leaderless},
		{"leaderless_partitions", false, func(f *fixture) { f.leaderless(); f.keys("enter") }},
		{"leaderless_healthy_partitions", false, func(f *fixture) { f.leaderless(); f.keys("j", "enter") }},
		{"rate_after_action", true, (*fixture).rateAfterAction},
		// Bug 4: reset offsets asks for topics, and names partitions the
		// group never committed.
		{"reset_topics_prompt", false, func(f *fixture) { f.replay(); f.press("o"); f.typeText("earliest"); f.press("enter") }},
		{"reset_topics_preview", false, func(f *fixture) {
			f.replay()
			f.press("o")
			f.typeText("earliest")
			f.press("enter")
			f.typeText("orders:2,4 payments")
			f.press("enter")
		}},
		// Bug 5: the replication factor checked at its prompt, and a
		// failure after y shown whole.
		{"create_topic_rf_refused", false, func(f *fixture) { f.busy(); f.command("create-topic clicks 3"); f.typeText("5"); f.press("enter") }},
		{"create_topic_failed", false, (*fixture).createTopicFailed},
		// Bug 7: Tab completes in the palette and lists what fits; up
		// recalls the last command.
		{"palette_completions", false, func(f *fixture) { f.busy(); f.keys(":"); f.typeText("partitions "); f.keys("tab") }},
		{"palette_history", false, func(f *fixture) {
			f.busy()
			f.command("lag billing")
			f.keys("esc", ":", "up")
		}},
	}
	for _, tt := range tests {
		all := sizes
		if tt.wide {
			all = append(all, struct{ width, height int }{140, 30})
		}
		for _, sz := range all {
			name := fmt.Sprintf("%s_%dx%d", tt.name, sz.width, sz.height)
			t.Run(name, func(t *testing.T) {
				f := newFixture(t, sz.width, sz.height)
				tt.stage(f)
				view := f.m.View()
				checkFrame(t, view, sz.width, sz.height)
				golden(t, "bug19_"+name, view)
			})
		}
	}
}

// TestLeaderlessKeepsOtherTopics: with one partition leaderless the other
// topics keep their offsets and rates, and only the topics with an unread
// partition say their totals are partial.
func TestLeaderlessKeepsOtherTopics(t *testing.T) {
	f := newFixture(t, 140, 30)
	f.leaderless()
	s := f.m.snap
	for _, name := range []string{"orders", "payments", "__consumer_offsets"} {
		topic, _ := s.Topic(name)
		if topic.Messages() < 0 || !topic.RateKnown || topic.RateMissing > 0 {
			t.Errorf("%s lost its numbers: messages %d rate known %v, %d missing", name, topic.Messages(), topic.RateKnown, topic.RateMissing)
		}
	}
	if orders, _ := s.Topic("orders"); orders.Rate != 4000 {
		t.Errorf("orders rate %v, want 8,000 records over 2s", orders.Rate)
	}
	view := f.m.View()
	for _, want := range []string{"≥150", "offsets unknown on 1 of 2 partitions"} {
		if !strings.Contains(view, want) {
			t.Errorf("no %q on screen:\n%s", want, view)
		}
	}
}

// TestRateKeptAcrossAction: the refresh after an action that could not
// read one partition leaves only that partition's rate out, and the next
// refresh has every rate again.
func TestRateKeptAcrossAction(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.rateAfterAction()
	orders, _ := f.m.snap.Topic("orders")
	if !orders.RateKnown || orders.RateMissing != 0 || orders.Rate != 4000 {
		t.Errorf("orders rate %v known %v, %d missing; want 2,000/s on orders-0 and 2,000/s on orders-1", orders.Rate, orders.RateKnown, orders.RateMissing)
	}
	if p1 := orders.Partitions[1]; p1.Rate != 2000 {
		t.Errorf("orders-1 rate %v, want 4,000 records since it was last read 2s ago", p1.Rate)
	}
}

// TestAddedPartitionsLeaveTheRateWhole: partitions added by the action
// have no rate on their first refresh, and the topic's rate is not called
// partial for it.
func TestAddedPartitionsLeaveTheRateWhole(t *testing.T) {
	f := newFixture(t, 80, 24)
	f.busy()
	f.press("j", "j", "+") // orders
	f.typeText("8")
	f.press("enter", "y")
	f.wantCalls("AddPartitions orders 8")
	orders, _ := f.m.snap.Topic("orders")
	if len(orders.Partitions) != 8 || !orders.RateKnown || orders.RateMissing != 0 {
		t.Fatalf("orders after adding partitions: %d partitions, rate known %v, %d missing",
			len(orders.Partitions), orders.RateKnown, orders.RateMissing)
	}
	if strings.Contains(f.m.View(), pages.PartialGlyph) {
		t.Errorf("a total marked partial:\n%s", f.m.View())
	}
}
