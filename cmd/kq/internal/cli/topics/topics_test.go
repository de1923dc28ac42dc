package topics

import (
	"context"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clitest"
	"github.com/spf13/cobra"
)

// captured records which verb ran with which options.
type captured struct {
	verb string
	opts any
}

func capturingRunners(c *captured) *Runners {
	return &Runners{
		List:     func(_ context.Context, o *ListOptions) error { *c = captured{"list", *o}; return nil },
		Describe: func(_ context.Context, o *DescribeOptions) error { *c = captured{"describe", *o}; return nil },
		Create:   func(_ context.Context, o *CreateOptions) error { *c = captured{"create", *o}; return nil },
		Alter:    func(_ context.Context, o *AlterOptions) error { *c = captured{"alter", *o}; return nil },
		Delete:   func(_ context.Context, o *DeleteOptions) error { *c = captured{"delete", *o}; return nil },
	}
}

func execute(cmd *cobra.Command, args ...string) error {
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	return cmd.ExecuteContext(context.Background())
}

// TestBothSpellingsFillTheSameOptions is the argv -> options test: the
// Kafka flags and the noun-verb form must produce identical options.
func TestBothSpellingsFillTheSameOptions(t *testing.T) {
	tests := []struct {
		name         string
		kafka, short []string
		verb         string
		check        func(t *testing.T, opts any)
	}{
		{"create", []string{"--create", "--topic", "t", "--partitions", "3", "--replication-factor", "2", "--config", "retention.ms=5", "--if-not-exists"},
			[]string{"create", "t", "-p", "3", "-r", "2", "-c", "retention.ms=5", "--if-not-exists"}, "create",
			func(t *testing.T, o any) {
				c := o.(CreateOptions)
				if c.Topic != "t" || c.Partitions != 3 || c.ReplicationFactor != 2 || c.Configs["retention.ms"] != "5" || !c.IfNotExists {
					t.Fatalf("%+v", c)
				}
			}},
		{"create with assignment", []string{"--create", "--topic", "t", "--replica-assignment", "1:2,2:3"},
			[]string{"create", "t", "--replica-assignment", "1:2,2:3"}, "create",
			func(t *testing.T, o any) {
				c := o.(CreateOptions)
				if !reflect.DeepEqual(c.Assignment, [][]int32{{1, 2}, {2, 3}}) || c.Partitions != admin.BrokerDefault {
					t.Fatalf("%+v", c)
				}
			}},
		{"create with broker default", []string{"--create", "--topic", "t", "--partitions", "-1"},
			[]string{"create", "t", "-p", "-1"}, "create",
			func(t *testing.T, o any) {
				if c := o.(CreateOptions); c.Partitions != -1 || c.ReplicationFactor != -1 {
					t.Fatalf("%+v", c)
				}
			}},
		{"describe", []string{"--describe", "--topic", "t.*", "--under-min-isr-partitions", "--exclude-internal"},
			[]string{"describe", "t.*", "--under-min-isr-partitions", "--exclude-internal"}, "describe",
			func(t *testing.T, o any) {
				d := o.(DescribeOptions)
				if !reflect.DeepEqual(d.Patterns, []string{"t.*"}) || !d.Filter.UnderMinISR || !d.ExcludeInternal {
					t.Fatalf("%+v", d)
				}
			}},
		{"list", []string{"--list"}, []string{"list"}, "list",
			func(t *testing.T, o any) {
				if l := o.(ListOptions); len(l.Patterns) != 0 {
					t.Fatalf("%+v", l)
				}
			}},
		{"alter", []string{"--alter", "--topic", "t", "--partitions", "6"}, []string{"alter", "t", "-p", "6"}, "alter",
			func(t *testing.T, o any) {
				if a := o.(AlterOptions); a.Partitions != 6 || a.Patterns[0] != "t" {
					t.Fatalf("%+v", a)
				}
			}},
		{"delete", []string{"--delete", "--topic", "t", "--if-exists"}, []string{"delete", "t", "--if-exists"}, "delete",
			func(t *testing.T, o any) {
				if d := o.(DeleteOptions); !d.IfExists || d.Patterns[0] != "t" {
					t.Fatalf("%+v", d)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, args := range [][]string{tt.kafka, tt.short} {
				var got captured
				env := clitest.New(admintest.NewCluster())
				if err := execute(NewCmdTopics(env.Factory, capturingRunners(&got)), args...); err != nil {
					t.Fatalf("%v: %v", args, err)
				}
				if got.verb != tt.verb {
					t.Fatalf("%v ran %q", args, got.verb)
				}
				tt.check(t, got.opts)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"no action", []string{"--topic", "t"}},
		{"two actions", []string{"--list", "--describe"}},
		{"zero partitions", []string{"create", "t", "-p", "0"}},
		{"bad replication factor", []string{"create", "t", "-p", "1", "-r", "0"}},
		{"assignment with partitions", []string{"create", "t", "-p", "1", "--replica-assignment", "1"}},
		{"uneven assignment", []string{"create", "t", "--replica-assignment", "1:2,3"}},
		{"duplicate replica", []string{"create", "t", "--replica-assignment", "1:1"}},
		{"bad config", []string{"create", "t", "-p", "1", "-c", "novalue"}},
		{"bad name", []string{"--create", "--topic", "a/b", "--partitions", "1"}},
		{"config with list", []string{"--list", "--config", "a=b"}},
		{"create without topic", []string{"--create", "--partitions", "1"}},
		{"alter without partitions", []string{"--alter", "--topic", "t"}},
		{"two reports", []string{"--describe", "--under-replicated-partitions", "--unavailable-partitions"}},
		{"unknown verb", []string{"frobnicate"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got captured
			env := clitest.New(admintest.NewCluster())
			err := execute(NewCmdTopics(env.Factory, capturingRunners(&got)), tt.args...)
			if tt.name == "unknown verb" {
				if err == nil {
					t.Fatal("want an error")
				}
				return
			}
			if clierr.Code(err) != clierr.CodeUsage {
				t.Fatalf("err %v (code %d), ran %q", err, clierr.Code(err), got.verb)
			}
			if got.verb != "" {
				t.Fatalf("%q ran despite the error", got.verb)
			}
		})
	}
}

func TestCreateDescribeDeleteAgainstTheFake(t *testing.T) {
	cluster := admintest.NewCluster(1, 2, 3)
	cluster.NumPartitions = 4
	env := clitest.New(cluster)
	if err := execute(NewCmdTopics(env.Factory, nil), "--create", "--topic", "a.b", "--partitions", "-1", "--replication-factor", "2"); err != nil {
		t.Fatal(err)
	}
	if got, want := env.Out.String(), "Created topic a.b.\n"; got != want {
		t.Fatalf("stdout %q", got)
	}
	if env.ErrOut.String() != admin.CollisionWarning+"\nPartitions: 4 (the broker's num.partitions).\n" {
		t.Fatalf("stderr %q", env.ErrOut.String())
	}
	err := execute(NewCmdTopics(env.Factory, nil), "create", "a.b", "-p", "1")
	if clierr.Code(err) != clierr.CodeFailure {
		t.Fatalf("second create: %v", err)
	}
	if err := execute(NewCmdTopics(env.Factory, nil), "create", "a.b", "-p", "1", "--if-not-exists"); err != nil {
		t.Fatalf("--if-not-exists: %v", err)
	}
	if err := execute(NewCmdTopics(env.Factory, nil), "delete", "a.b"); err != nil {
		t.Fatal(err)
	}
	err = execute(NewCmdTopics(env.Factory, nil), "--delete", "--topic", "a.b")
	if clierr.Code(err) != clierr.CodeNotFound || err.Error() != "Topic 'a.b' does not exist as expected" {
		t.Fatalf("delete missing: %v", err)
	}
	if err := execute(NewCmdTopics(env.Factory, nil), "--delete", "--topic", "a.b", "--if-exists"); err != nil {
		t.Fatalf("--if-exists: %v", err)
	}
}

func TestAlterAddsPartitions(t *testing.T) {
	cluster := admintest.NewCluster(1, 2)
	env := clitest.New(cluster)
	ctx := context.Background()
	if _, err := cluster.CreateTopic(ctx, admin.TopicSpec{Name: "t", Partitions: 1, ReplicationFactor: 1}); err != nil {
		t.Fatal(err)
	}
	if err := execute(NewCmdTopics(env.Factory, nil), "--alter", "--topic", "t", "--partitions", "3", "--replica-assignment", "1,2,1"); err != nil {
		t.Fatal(err)
	}
	topics, _ := cluster.Topics(ctx, "t")
	if got := topics[0].Partitions; len(got) != 3 || got[1].Replicas[0] != 2 || got[2].Replicas[0] != 1 {
		t.Fatalf("partitions %+v", got)
	}
	err := execute(NewCmdTopics(env.Factory, nil), "alter", "t", "-p", "2")
	if err == nil || clierr.Code(err) != clierr.CodeFailure {
		t.Fatalf("shrinking: %v", err)
	}
}

func TestSelectTopics(t *testing.T) {
	all := []string{"__consumer_offsets", "a.b", "axb", "orders", "orders-eu"}
	tests := []struct {
		patterns []string
		internal bool
		want     []string
	}{
		{nil, false, all},
		{nil, true, all[1:]},
		{[]string{"a.b"}, false, []string{"a.b", "axb"}},
		{[]string{"orders"}, false, []string{"orders"}},
		{[]string{"orders.*"}, false, []string{"orders", "orders-eu"}},
		{[]string{"axb,orders"}, false, []string{"axb", "orders"}},
		{[]string{"[unclosed"}, false, nil},
	}
	for _, tt := range tests {
		if got := selectTopics(all, tt.patterns, tt.internal); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%v: got %v, want %v", tt.patterns, got, tt.want)
		}
	}
}

func TestListOutput(t *testing.T) {
	cluster := admintest.NewCluster()
	for _, name := range []string{"b", "a"} {
		_, _ = cluster.CreateTopic(context.Background(), admin.TopicSpec{Name: name, Partitions: 1, ReplicationFactor: 1})
	}
	env := clitest.New(cluster)
	if err := execute(NewCmdTopics(env.Factory, nil), "--list"); err != nil {
		t.Fatal(err)
	}
	if env.Out.String() != "a\nb\n" {
		t.Fatalf("got %q", env.Out.String())
	}
	env.Out.Reset()
	env.Opts.Output = "json"
	if err := execute(NewCmdTopics(env.Factory, nil), "list"); err != nil {
		t.Fatal(err)
	}
	if env.Out.String() != "[\n  \"a\",\n  \"b\"\n]\n" {
		t.Fatalf("got %q", env.Out.String())
	}
}

func TestAdminErrorsPassThrough(t *testing.T) {
	cluster := admintest.NewCluster()
	cluster.Fail("Topics", errors.New("boom"))
	env := clitest.New(cluster)
	if err := execute(NewCmdTopics(env.Factory, nil), "--list"); err == nil || err.Error() != "boom" {
		t.Fatalf("got %v", err)
	}
}

// TestMisplacedOptionsAlwaysNameTheSameOne: with two options the action
// does not take, the message names the first by name every time, not one
// picked by map order.
func TestMisplacedOptionsAlwaysNameTheSameOne(t *testing.T) {
	const want = "option --config can't be used with --list (only with --create, --alter)"
	for range 20 {
		env := clitest.New(admintest.NewCluster())
		err := execute(NewCmdTopics(env.Factory, capturingRunners(&captured{})),
			"--list", "--partitions", "1", "--config", "a=b", "--replication-factor", "1")
		if err == nil || err.Error() != want {
			t.Fatalf("err %v, want %q", err, want)
		}
	}
}

// TestAlterConfigPointsToConfigs: the old tool's --alter --config is
// refused with the command that does it today.
func TestAlterConfigPointsToConfigs(t *testing.T) {
	env := clitest.New(admintest.NewCluster())
	err := execute(NewCmdTopics(env.Factory, capturingRunners(&captured{})),
		"--alter", "--topic", "t", "--config", "retention.ms=1000")
	if clierr.Code(err) != clierr.CodeUsage || err == nil || !strings.Contains(err.Error(), "kq configs --alter --entity-type topics") {
		t.Fatalf("err %v", err)
	}
}
