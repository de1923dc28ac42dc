package admin

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
)

// resetCluster is a ResetSource with topic "t" (partitions 0-2, log from 10
// to 100; every lookup by time answers byTime) and groups.
type resetCluster struct {
	groups    map[string]Group
	committed map[string][]GroupOffset
	byTime    int64
	times     []int64 // the timestamps looked up
}

func newResetCluster() *resetCluster {
	return &resetCluster{
		groups: map[string]Group{
			"app":  {Group: "app", State: "Empty"},
			"busy": {Group: "busy", State: "Stable", Members: []GroupMember{{MemberID: "m"}}},
		},
		committed: map[string][]GroupOffset{
			"app": {{Topic: "t", Partition: 0, Offset: 50}, {Topic: "t", Partition: 1, Offset: 95}},
		},
		byTime: 42,
	}
}

func (c *resetCluster) DescribeGroup(_ context.Context, group string) (Group, error) {
	g, ok := c.groups[group]
	if !ok {
		return Group{}, groupNotFound(group)
	}
	return g, nil
}

func (c *resetCluster) GroupOffsets(_ context.Context, group string) ([]GroupOffset, error) {
	return c.committed[group], nil
}

func (c *resetCluster) Topics(_ context.Context, names ...string) ([]Topic, error) {
	var out []Topic
	for _, n := range names {
		if n != "t" {
			out = append(out, Topic{Name: n, Err: kerr.UnknownTopicOrPartition})
			continue
		}
		out = append(out, Topic{Name: "t", Partitions: []Partition{{ID: 0}, {ID: 1}, {ID: 2}}})
	}
	return out, nil
}

func (c *resetCluster) ListOffsets(_ context.Context, timestamp int64, _ ...string) ([]PartitionOffset, error) {
	off := c.byTime
	switch timestamp {
	case EarliestOffset:
		off = 10
	case LatestOffset:
		off = 100
	default:
		c.times = append(c.times, timestamp)
	}
	var out []PartitionOffset
	for _, p := range []int32{0, 1, 2} {
		out = append(out, PartitionOffset{Topic: "t", Partition: p, Offset: off})
	}
	return out, nil
}

func TestPlanReset(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	all := []TopicPartitions{{Topic: "t"}}
	tests := []struct {
		name      string
		strategy  ResetStrategy
		topics    []TopicPartitions
		allTopics bool
		want      []int64 // new offsets of the partitions planned, in order
		warnings  int
		err       string
	}{
		{"earliest", ResetStrategy{Kind: ResetToEarliest}, all, false, []int64{10, 10, 10}, 0, ""},
		{"latest", ResetStrategy{Kind: ResetToLatest}, all, false, []int64{100, 100, 100}, 0, ""},
		{"current, latest where none", ResetStrategy{Kind: ResetToCurrent}, all, false, []int64{50, 95, 100}, 0, ""},
		{"offset clamped up", ResetStrategy{Kind: ResetToOffset, Offset: 5}, all, false, []int64{10, 10, 10}, 3, ""},
		{"shift clamped down", ResetStrategy{Kind: ResetShiftBy, Offset: 10},
			[]TopicPartitions{{Topic: "t", Partitions: []int32{0, 1}}}, false, []int64{60, 100}, 1, ""},
		{"shift of the committed only", ResetStrategy{Kind: ResetShiftBy, Offset: -20}, nil, true, []int64{30, 75}, 0, ""},
		{"shift without a commit", ResetStrategy{Kind: ResetShiftBy, Offset: 1}, all, false, nil, 0, "no current committed offset"},
		{"datetime", ResetStrategy{Kind: ResetToDatetime, Time: time.Unix(0, 0)}, all, false, []int64{42, 42, 42}, 0, ""},
		{"duration", ResetStrategy{Kind: ResetByDuration, Duration: time.Hour}, all, false, []int64{42, 42, 42}, 0, ""},
		{"file", ResetStrategy{Kind: ResetFromFile, Plan: map[string]map[string]map[int32]int64{"": {"t": {2: 77}}}}, nil, false, []int64{77}, 0, ""},
		{"file for this group first", ResetStrategy{Kind: ResetFromFile, Plan: map[string]map[string]map[int32]int64{
			"": {"t": {2: 77}}, "app": {"t": {1: 20}}}}, nil, false, []int64{20}, 0, ""},
		{"unknown topic", ResetStrategy{Kind: ResetToEarliest}, []TopicPartitions{{Topic: "x"}}, false, nil, 0, "does not exist"},
		{"unknown partition", ResetStrategy{Kind: ResetToEarliest}, []TopicPartitions{{Topic: "t", Partitions: []int32{7}}}, false, nil, 0, "partition 7 does not exist"},
		{"no strategy", ResetStrategy{}, all, false, nil, 0, "no reset strategy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newResetCluster()
			plan, err := PlanReset(context.Background(), c, ResetRequest{Group: "app", Topics: tt.topics, AllTopics: tt.allTopics, Strategy: tt.strategy, Now: now})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, o := range plan.Offsets {
				got = append(got, o.New)
			}
			if !slices.Equal(got, tt.want) || len(plan.Warnings) != tt.warnings {
				t.Fatalf("new offsets %v warnings %q, want %v and %d warnings", got, plan.Warnings, tt.want, tt.warnings)
			}
			if tt.strategy.Kind == ResetByDuration && !slices.Equal(c.times, []int64{now.Add(-time.Hour).UnixMilli()}) {
				t.Errorf("looked up times %v", c.times)
			}
		})
	}
}

func TestPlanResetKeepsCurrentOffsets(t *testing.T) {
	plan, err := PlanReset(context.Background(), newResetCluster(), ResetRequest{Group: "app", Topics: []TopicPartitions{{Topic: "t"}},
		Strategy: ResetStrategy{Kind: ResetToLatest}})
	if err != nil {
		t.Fatal(err)
	}
	want := []OffsetReset{
		{Group: "app", Topic: "t", Partition: 0, Current: 50, New: 100},
		{Group: "app", Topic: "t", Partition: 1, Current: 95, New: 100},
		{Group: "app", Topic: "t", Partition: 2, Current: -1, New: 100},
	}
	if !slices.Equal(plan.Offsets, want) {
		t.Fatalf("plan %+v", plan.Offsets)
	}
	commits := plan.Commits()
	if len(commits) != 3 || commits[2] != (GroupOffset{Topic: "t", Partition: 2, Offset: 100}) {
		t.Fatalf("commits %+v", commits)
	}
}

func TestPlanResetRefusesActiveGroup(t *testing.T) {
	tests := []struct {
		group      string
		wantActive bool
	}{
		{"busy", true},
		{"app", false},
		{"unknown", false}, // Kafka lets offsets be set for a group not yet created
	}
	for _, tt := range tests {
		_, err := PlanReset(context.Background(), newResetCluster(), ResetRequest{Group: tt.group, AllTopics: true,
			Strategy: ResetStrategy{Kind: ResetToEarliest}})
		var active *GroupActiveError
		if errors.As(err, &active) != tt.wantActive {
			t.Fatalf("%s: err %v", tt.group, err)
		}
		if tt.wantActive && (active.State != "Stable" || !strings.Contains(err.Error(), "inactive")) {
			t.Fatalf("%s: %v", tt.group, err)
		}
		if !tt.wantActive && err != nil {
			t.Fatalf("%s: %v", tt.group, err)
		}
	}
}

func TestParseResetDatetime(t *testing.T) {
	loc := time.FixedZone("X", 3600)
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2024-05-06T07:08:09.010Z", time.Date(2024, 5, 6, 7, 8, 9, 10e6, time.UTC), true},
		{"2024-05-06T07:08:09+02:00", time.Date(2024, 5, 6, 5, 8, 9, 0, time.UTC), true},
		{"2024-05-06T07:08", time.Date(2024, 5, 6, 7, 8, 0, 0, loc), true},
		{"2024-05-06", time.Date(2024, 5, 6, 0, 0, 0, 0, loc), true},
		{"May 5th", time.Time{}, false},
	}
	for _, tt := range tests {
		got, err := ParseResetDatetime(tt.in, loc)
		if (err == nil) != tt.ok || !got.Equal(tt.want) {
			t.Errorf("ParseResetDatetime(%q) = %v, %v", tt.in, got, err)
		}
	}
}
