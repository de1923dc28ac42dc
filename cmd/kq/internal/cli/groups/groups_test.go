package groups

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clitest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

// captured records the options a verb was called with.
type captured struct {
	list     *ListOptions
	describe *DescribeOptions
	reset    *ResetOptions
	del      *DeleteOptions
	delOffs  *DeleteOffsetsOptions
}

func (c *captured) runners() *Runners {
	return &Runners{
		List:          func(_ context.Context, o *ListOptions) error { c.list = o; return nil },
		Describe:      func(_ context.Context, o *DescribeOptions) error { c.describe = o; return nil },
		Reset:         func(_ context.Context, o *ResetOptions) error { c.reset = o; return nil },
		Delete:        func(_ context.Context, o *DeleteOptions) error { c.del = o; return nil },
		DeleteOffsets: func(_ context.Context, o *DeleteOffsetsOptions) error { c.delOffs = o; return nil },
	}
}

func parse(t *testing.T, args ...string) (*captured, error) {
	t.Helper()
	env := clitest.New(admintest.NewCluster())
	c := &captured{}
	cmd := NewCmdGroups(env.Factory, c.runners())
	cmd.SetArgs(args)
	cmd.SetOut(env.Out)
	cmd.SetErr(env.ErrOut)
	return c, cmd.ExecuteContext(context.Background())
}

func TestKafkaSpellingAndSubcommandsFillTheSameOptions(t *testing.T) {
	pairs := []struct {
		kafka, short []string
		check        func(t *testing.T, c *captured)
	}{
		{[]string{"--describe", "--group", "g", "--members", "--verbose"}, []string{"describe", "g", "--members", "--verbose"},
			func(t *testing.T, c *captured) {
				if c.describe.Groups[0] != "g" || c.describe.View != Members || !c.describe.Verbose {
					t.Fatalf("%+v", c.describe)
				}
			}},
		{[]string{"--reset-offsets", "--group", "g", "--topic", "t:0,2", "--shift-by", "-5", "--execute"},
			[]string{"reset-offsets", "g", "--topic", "t:0,2", "--shift-by", "-5", "--execute"},
			func(t *testing.T, c *captured) {
				r := c.reset
				if r.Groups[0] != "g" || r.Topics[0].Topic != "t" || len(r.Topics[0].Partitions) != 2 || r.Strategy.Kind != ShiftBy || r.Strategy.Offset != -5 || !r.Execute {
					t.Fatalf("%+v", r)
				}
			}},
		{[]string{"--delete", "--group", "a", "--group", "b"}, []string{"delete", "a", "b"},
			func(t *testing.T, c *captured) {
				if strings.Join(c.del.Groups, ",") != "a,b" {
					t.Fatalf("%+v", c.del)
				}
			}},
		{[]string{"--delete-offsets", "--group", "g", "--topic", "t"}, []string{"delete-offsets", "g", "--topic", "t"},
			func(t *testing.T, c *captured) {
				if c.delOffs.Group != "g" || c.delOffs.Topic.Topic != "t" {
					t.Fatalf("%+v", c.delOffs)
				}
			}},
	}
	for _, p := range pairs {
		for _, args := range [][]string{p.kafka, p.short} {
			c, err := parse(t, args...)
			if err != nil {
				t.Fatalf("%q: %v", args, err)
			}
			p.check(t, c)
		}
	}
}

func TestListStateFlag(t *testing.T) {
	c, err := parse(t, "--list", "--state", "Stable,Empty")
	if err != nil || !c.list.ShowState || strings.Join(c.list.States, ",") != "Stable,Empty" {
		t.Fatalf("%+v %v", c.list, err)
	}
	c, _ = parse(t, "--list", "--state")
	if !c.list.ShowState || c.list.States != nil {
		t.Fatalf("bare --state: %+v", c.list)
	}
	c, _ = parse(t, "--list")
	if c.list.ShowState {
		t.Fatal("--list alone shows states")
	}
}

func TestResetStrategies(t *testing.T) {
	tests := []struct {
		args []string
		want Strategy
	}{
		{[]string{"--to-earliest"}, Strategy{Kind: ToEarliest}},
		{[]string{"--to-latest"}, Strategy{Kind: ToLatest}},
		{[]string{"--to-current"}, Strategy{Kind: ToCurrent}},
		{[]string{"--to-offset", "7"}, Strategy{Kind: ToOffset, Offset: 7}},
		{[]string{"--by-duration", "P1DT2H"}, Strategy{Kind: ByDuration, Duration: 26 * time.Hour}},
		{[]string{"--by-duration", "PT0.5S"}, Strategy{Kind: ByDuration, Duration: 500 * time.Millisecond}},
		{[]string{"--by-duration", "90m"}, Strategy{Kind: ByDuration, Duration: 90 * time.Minute}},
		{[]string{"--to-datetime", "2024-05-06T07:08:09.010Z"}, Strategy{Kind: ToDatetime, Time: time.Date(2024, 5, 6, 7, 8, 9, 10e6, time.UTC)}},
	}
	for _, tt := range tests {
		c, err := parse(t, append([]string{"--reset-offsets", "--group", "g", "--all-topics"}, tt.args...)...)
		if err != nil {
			t.Fatalf("%q: %v", tt.args, err)
		}
		got := c.reset.Strategy
		if got.Kind != tt.want.Kind || got.Offset != tt.want.Offset || got.Duration != tt.want.Duration || !got.Time.Equal(tt.want.Time) {
			t.Errorf("%q: %+v, want %+v", tt.args, got, tt.want)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--list", "--describe"},
		{"--describe"},
		{"--describe", "--group", "g", "--members", "--state"},
		{"--describe", "--group", "g", "--verbose"},
		{"--list", "--to-earliest"},
		{"--reset-offsets", "--group", "g", "--topic", "t"},
		{"--reset-offsets", "--group", "g", "--to-earliest"},
		{"--reset-offsets", "--group", "g", "--all-topics", "--to-earliest", "--to-latest"},
		{"--reset-offsets", "--group", "g", "--all-topics", "--to-earliest", "--dry-run", "--execute"},
		{"--reset-offsets", "--group", "g", "--all-topics", "--by-duration", "yesterday"},
		{"--reset-offsets", "--group", "g", "--all-topics", "--to-datetime", "May 5th"},
		{"--reset-offsets", "--group", "g", "--topic", "t:x", "--to-earliest"},
		{"--delete"},
		{"--delete-offsets", "--group", "g"},
		{"describe"},
	} {
		_, err := parse(t, args...)
		if clierr.Code(err) != clierr.CodeUsage {
			t.Errorf("%q: err %v (code %d)", args, err, clierr.Code(err))
		}
	}
}

func ioEnv() *clitest.Env { return clitest.New(admintest.NewCluster()) }

func TestDescribeOffsetsText(t *testing.T) {
	fa := newFakeAdmin()
	fa.groups["app"] = admin.Group{Group: "app", State: "Empty"}
	fa.committed["app"] = []admin.GroupOffset{{Topic: "t", Partition: 0, Offset: 60}, {Topic: "t", Partition: 1, Offset: 100}}
	env := ioEnv()
	opts := &DescribeOptions{IO: env.Factory.IOStreams, Admin: func() (groupsAdmin, error) { return fa, nil }, Output: output.Table, Groups: []string{"app"}}
	if err := describeRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	want := "\n" +
		"GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID     HOST            CLIENT-ID\n" +
		"app             t               0          60              100             40              -               -               -\n" +
		"app             t               1          100             100             0               -               -               -\n"
	if env.Out.String() != want {
		t.Fatalf("stdout:\n%q\nwant:\n%q", env.Out.String(), want)
	}
	if e := env.ErrOut.String(); !strings.Contains(e, "Consumer group 'app' has no active members.") || !strings.Contains(e, "Total lag of group 'app': 40") {
		t.Fatalf("stderr %q", e)
	}
	opts.Groups = []string{"nope"}
	if err := describeRun(context.Background(), opts); clierr.Code(err) != clierr.CodeNotFound {
		t.Fatalf("unknown group: %v", err)
	}
}

func TestResetPlan(t *testing.T) {
	fa := newFakeAdmin()
	fa.groups["app"] = admin.Group{Group: "app", State: "Empty"}
	fa.groups["busy"] = admin.Group{Group: "busy", State: "Stable", Members: []admin.GroupMember{{MemberID: "m"}}}
	fa.committed["app"] = []admin.GroupOffset{{Topic: "t", Partition: 0, Offset: 50}, {Topic: "t", Partition: 1, Offset: 95}}
	tests := []struct {
		name     string
		strategy Strategy
		topics   []TopicSelection
		want     []int64 // partitions 0, 1, 2 (or those selected)
		err      string
	}{
		{"earliest", Strategy{Kind: ToEarliest}, nil, []int64{10, 10, 10}, ""},
		{"latest", Strategy{Kind: ToLatest}, nil, []int64{100, 100, 100}, ""},
		{"current (latest where none)", Strategy{Kind: ToCurrent}, nil, []int64{50, 95, 100}, ""},
		{"offset clamped", Strategy{Kind: ToOffset, Offset: 5}, nil, []int64{10, 10, 10}, ""},
		{"shift clamped", Strategy{Kind: ShiftBy, Offset: 10}, []TopicSelection{{Topic: "t", Partitions: []int32{0, 1}}}, []int64{60, 100}, ""},
		{"shift without commit", Strategy{Kind: ShiftBy, Offset: 1}, nil, nil, "no current committed offset"},
		{"datetime", Strategy{Kind: ToDatetime, Time: time.Unix(0, 0)}, nil, []int64{42, 42, 42}, ""},
		{"file", Strategy{Kind: FromFile, Plan: map[string]map[string]map[int32]int64{"": {"t": {2: 77}}}}, nil, []int64{77}, ""},
		{"unknown topic", Strategy{Kind: ToEarliest}, []TopicSelection{{Topic: "x"}}, nil, "does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := ioEnv()
			topics := tt.topics
			if topics == nil && tt.strategy.Kind != FromFile {
				topics = []TopicSelection{{Topic: "t"}}
			}
			opts := &ResetOptions{IO: env.Factory.IOStreams, Admin: func() (groupsAdmin, error) { return fa, nil }, Output: output.JSON,
				Now: time.Now, Groups: []string{"app"}, Topics: topics, Strategy: tt.strategy}
			err := resetRun(context.Background(), opts)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for i, w := range tt.want {
				if !strings.Contains(env.Out.String(), `"offset": `+itoa(w)) {
					t.Fatalf("partition #%d: want offset %d in %s", i, w, env.Out.String())
				}
			}
		})
	}
	// A group with members is refused, and --execute commits only then.
	env := ioEnv()
	opts := &ResetOptions{IO: env.Factory.IOStreams, Admin: func() (groupsAdmin, error) { return fa, nil }, Output: output.Table,
		Now: time.Now, Groups: []string{"busy"}, AllTopics: true, Strategy: Strategy{Kind: ToEarliest}, Execute: true}
	if err := resetRun(context.Background(), opts); err == nil || !strings.Contains(err.Error(), "inactive") {
		t.Fatalf("reset of a stable group: %v", err)
	}
	opts.Groups = []string{"app"}
	if err := resetRun(context.Background(), opts); err != nil || len(fa.commits["app"]) != 2 {
		t.Fatalf("execute: %v, commits %+v", err, fa.commits)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestDeleteGroupsAndOffsetsText(t *testing.T) {
	fa := newFakeAdmin()
	fa.groups["old"] = admin.Group{Group: "old", State: "Empty"}
	fa.groups["busy"] = admin.Group{Group: "busy", State: "Stable", Members: []admin.GroupMember{{MemberID: "m"}}}
	env := ioEnv()
	a := func() (groupsAdmin, error) { return fa, nil }
	err := deleteRun(context.Background(), &DeleteOptions{IO: env.Factory.IOStreams, Admin: a, Output: output.Table, Groups: []string{"old", "busy"}})
	if clierr.Code(err) != clierr.CodeFailure || !strings.Contains(env.Out.String(), "* Group 'busy' could not be deleted due to: The group is not empty.") ||
		!strings.Contains(env.Out.String(), "These consumer groups were deleted successfully: 'old'") {
		t.Fatalf("delete: %v\n%s", err, env.Out.String())
	}
	env = ioEnv()
	err = deleteOffsetsRun(context.Background(), &DeleteOffsetsOptions{IO: env.Factory.IOStreams, Admin: a, Output: output.Table, Group: "old", Topic: TopicSelection{Topic: "t"}})
	if clierr.Code(err) != clierr.CodeFailure || !strings.Contains(env.Out.String(), "t                              2               Error: GROUP_SUBSCRIBED_TO_TOPIC") {
		t.Fatalf("delete offsets: %v\n%s", err, env.Out.String())
	}
	err = deleteOffsetsRun(context.Background(), &DeleteOffsetsOptions{IO: env.Factory.IOStreams, Admin: a, Output: output.Table, Group: "nope", Topic: TopicSelection{Topic: "t"}})
	if clierr.Code(err) != clierr.CodeNotFound {
		t.Fatalf("delete offsets of an unknown group: %v", err)
	}
}
