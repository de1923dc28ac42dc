package groups

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clitest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
)

// TestConsoleGroupFlags: kafka-consumer-groups' --offsets, --type,
// --export and --timeout reach the verbs' options.
func TestConsoleGroupFlags(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		check func(*captured) bool
	}{
		{"--offsets is the default view", []string{"--describe", "--group", "g", "--offsets"},
			func(c *captured) bool { return c.describe.View == Offsets }},
		{"bare --type", []string{"--list", "--type"}, func(c *captured) bool { return c.list.ShowType && c.list.Types == nil }},
		{"--type with types", []string{"--list", "--type", "Classic,consumer"},
			func(c *captured) bool {
				return c.list.ShowType && strings.Join(c.list.Types, ",") == "classic,consumer"
			}},
		{"--type and --state", []string{"--list", "--state", "--type"},
			func(c *captured) bool { return c.list.ShowType && c.list.ShowState }},
		{"--export", []string{"--reset-offsets", "--group", "g", "--topic", "t", "--to-earliest", "--export"},
			func(c *captured) bool { return c.reset.Export }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parse(t, tt.args...)
			if err != nil || !tt.check(c) {
				t.Fatalf("%+v %v", c, err)
			}
		})
	}
}

func TestConsoleGroupFlagsRefused(t *testing.T) {
	for _, args := range [][]string{
		{"--describe", "--group", "g", "--offsets", "--members"},
		{"--describe", "--group", "g", "--type"},
		{"--list", "--type", "share"},
		{"--list", "--export"},
		{"--list", "--timeout", "0"},
	} {
		if _, err := parse(t, args...); clierr.Code(err) != clierr.CodeUsage {
			t.Errorf("%q: err %v, want a usage error", args, err)
		}
	}
}

func TestListTypesAndExport(t *testing.T) {
	fa := newFakeAdmin()
	fa.groups["app"] = admin.Group{Group: "app", State: "Empty"}
	fa.groups["etl"] = admin.Group{Group: "etl", State: "Empty"}
	fa.committed["app"] = []admin.GroupOffset{{Topic: "t", Partition: 0, Offset: 50}}
	for _, tc := range []struct {
		types []string
		want  string
	}{
		{nil, "GROUP           TYPE\napp             Classic\netl             Classic\n"},
		{[]string{"consumer"}, "GROUP           TYPE\n"},
	} {
		env := ioEnv()
		opts := &ListOptions{IO: env.Factory.IOStreams, Admin: func() (groupsAdmin, error) { return fa, nil }, Output: output.Table,
			ShowType: true, Types: tc.types}
		if err := listRun(context.Background(), opts); err != nil || env.Out.String() != tc.want {
			t.Errorf("types %v: %q %v, want %q", tc.types, env.Out.String(), err, tc.want)
		}
	}
	for _, tc := range []struct {
		groups []string
		want   string
	}{
		{[]string{"app"}, "t,0,10\nt,1,10\nt,2,10\n"},
		{[]string{"app", "etl"}, "app,t,0,10\napp,t,1,10\napp,t,2,10\netl,t,0,10\netl,t,1,10\netl,t,2,10\n"},
	} {
		env := ioEnv()
		opts := &ResetOptions{IO: env.Factory.IOStreams, Admin: func() (groupsAdmin, error) { return fa, nil }, Output: output.Table,
			Now: time.Now, Groups: tc.groups, Topics: []TopicSelection{{Topic: "t"}}, Strategy: Strategy{Kind: ToEarliest}, Export: true}
		if err := resetRun(context.Background(), opts); err != nil || env.Out.String() != tc.want {
			t.Errorf("export %v: %q %v, want %q", tc.groups, env.Out.String(), err, tc.want)
		}
	}
}

// TestTimeoutBoundsRequests: --timeout becomes default.api.timeout.ms of
// the run's admin client.
func TestTimeoutBoundsRequests(t *testing.T) {
	env := clitest.New(admintest.NewCluster())
	c := &captured{}
	cmd := NewCmdGroups(env.Factory, c.runners())
	cmd.SetArgs([]string{"--list", "--timeout", "1500"})
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		t.Fatal(err)
	}
	cfg, err := env.Factory.ClientConfig()
	if err != nil || cfg.Properties["default.api.timeout.ms"] != "1500" {
		t.Fatalf("properties %v, err %v", cfg.Properties, err)
	}
}
