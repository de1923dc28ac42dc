package configs

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clitest"
)

func execute(env *clitest.Env, r *Runners, args ...string) error {
	cmd := NewCmdConfigs(env.Factory, r)
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	return cmd.ExecuteContext(context.Background())
}

func TestParseAddConfig(t *testing.T) {
	got, err := parseAddConfig("a=1, b = [x,y,z],c=,d=e=f")
	want := map[string]string{"a": "1", "b": "x,y,z", "c": "", "d": "e=f"}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v %v", got, err)
	}
	for _, bad := range []string{"novalue", "=v", "bad key=1"} {
		if _, err := parseAddConfig(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if got := parseDeleteConfig([]string{"a,b", " c "}); !reflect.DeepEqual(got, []string{"a", "b", "c"}) {
		t.Fatalf("delete %v", got)
	}
}

func TestBothSpellings(t *testing.T) {
	tests := []struct {
		name         string
		kafka, short []string
		check        func(t *testing.T, describe *DescribeOptions, alter *AlterOptions)
	}{
		{"describe topic", []string{"--describe", "--entity-type", "topics", "--entity-name", "t", "--all"},
			[]string{"describe", "topic", "t", "--all"}, func(t *testing.T, d *DescribeOptions, _ *AlterOptions) {
				if d == nil || d.Entity != (Entity{Type: admin.TopicResource, Name: "t"}) || !d.All {
					t.Fatalf("%+v", d)
				}
			}},
		{"describe broker default", []string{"--describe", "--broker-defaults"},
			[]string{"describe", "brokers", "--entity-default"}, func(t *testing.T, d *DescribeOptions, _ *AlterOptions) {
				if d == nil || d.Entity != (Entity{Type: admin.BrokerResource, Default: true}) {
					t.Fatalf("%+v", d)
				}
			}},
		{"alter", []string{"--alter", "--topic", "t", "--add-config", "a=1,b=[x,y]", "--delete-config", "c"},
			[]string{"alter", "topics", "t", "--add-config", "a=1,b=[x,y]", "--delete-config", "c"},
			func(t *testing.T, _ *DescribeOptions, a *AlterOptions) {
				if a == nil || a.Set["b"] != "x,y" || a.Delete[0] != "c" || a.Entity.Name != "t" {
					t.Fatalf("%+v", a)
				}
			}},
	}
	for _, tt := range tests {
		for _, args := range [][]string{tt.kafka, tt.short} {
			var d *DescribeOptions
			var a *AlterOptions
			r := &Runners{
				Describe: func(_ context.Context, o *DescribeOptions) error { d = o; return nil },
				Alter:    func(_ context.Context, o *AlterOptions) error { a = o; return nil },
			}
			if err := execute(clitest.New(admintest.NewCluster()), r, args...); err != nil {
				t.Fatalf("%s %q: %v", tt.name, args, err)
			}
			tt.check(t, d, a)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--describe"},
		{"--describe", "--alter", "--topic", "t"},
		{"--describe", "--entity-type", "groups"},
		{"--describe", "--entity-type", "topics", "--entity-default"},
		{"--describe", "--entity-type", "brokers", "--entity-name", "one"},
		{"--alter", "--topic", "t"},
		{"--alter", "--entity-type", "topics", "--add-config", "a=1"},
		{"--describe", "--topic", "t", "--add-config", "a=1"},
		{"--describe", "--topic", "t", "--broker", "1"},
		{"alter", "topic", "t", "--add-config", "novalue"},
		{"describe", "topic", "bad name"},
	} {
		ran := false
		r := &Runners{
			Describe: func(context.Context, *DescribeOptions) error { ran = true; return nil },
			Alter:    func(context.Context, *AlterOptions) error { ran = true; return nil },
		}
		err := execute(clitest.New(admintest.NewCluster()), r, args...)
		if clierr.Code(err) != clierr.CodeUsage || ran {
			t.Errorf("%q: err %v ran %v", args, err, ran)
		}
	}
}

func clusterWithTopic(t *testing.T) *admintest.Cluster {
	t.Helper()
	c := admintest.NewCluster(1)
	if _, err := c.CreateTopic(context.Background(), admin.TopicSpec{Name: "t", Partitions: 1, ReplicationFactor: 1,
		Configs: map[string]string{"retention.ms": "1000"}}); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDescribeGolden(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--describe", "--entity-type", "topics", "--entity-name", "t"},
			"Dynamic configs for topic t are:\n" +
				"  retention.ms=1000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=1000, DEFAULT_CONFIG:log.retention.ms=604800000}\n"},
		{[]string{"describe", "brokers"}, "Dynamic configs for broker 1 are:\nDefault configs for brokers in the cluster are:\n"},
	}
	for _, tt := range tests {
		env := clitest.New(clusterWithTopic(t))
		if err := execute(env, nil, tt.args...); err != nil {
			t.Fatal(err)
		}
		if got := env.Out.String(); got != tt.want {
			t.Errorf("%q: got %q", tt.args, got)
		}
	}
}

func TestDescribeAll(t *testing.T) {
	env := clitest.New(clusterWithTopic(t))
	if err := execute(env, nil, "describe", "topic", "t", "--all"); err != nil {
		t.Fatal(err)
	}
	out := env.Out.String()
	if !strings.HasPrefix(out, "All configs for topic t are:\n") || !strings.Contains(out, "  cleanup.policy=delete sensitive=false synonyms={DEFAULT_CONFIG:log.cleanup.policy=delete}\n") {
		t.Fatalf("got %q", out)
	}
}

func TestDescribeMissing(t *testing.T) {
	for _, args := range [][]string{{"describe", "topic", "nope"}, {"describe", "broker", "9"}} {
		err := execute(clitest.New(clusterWithTopic(t)), nil, args...)
		if clierr.Code(err) != clierr.CodeNotFound || !strings.Contains(err.Error(), "doesn't exist and doesn't have dynamic config") {
			t.Errorf("%q: %v", args, err)
		}
	}
}

func TestAlter(t *testing.T) {
	c := clusterWithTopic(t)
	env := clitest.New(c)
	props := filepath.Join(t.TempDir(), "add.properties")
	_ = os.WriteFile(props, []byte("segment.bytes=2048\n"), 0o600)
	if err := execute(env, nil, "--alter", "--topic", "t", "--add-config", "cleanup.policy=[compact,delete]",
		"--add-config-file", props, "--delete-config", "retention.ms"); err != nil {
		t.Fatal(err)
	}
	if env.Out.String() != "Completed updating config for topic t.\n" {
		t.Fatalf("stdout %q", env.Out.String())
	}
	entries, _ := c.DescribeConfigs(context.Background(), admin.Resource{Type: admin.TopicResource, Name: "t"})
	got := map[string]string{}
	for _, e := range selectEntries(entries, Entity{Type: admin.TopicResource, Name: "t"}, false) {
		got[e.Name] = *e.Value
	}
	if !reflect.DeepEqual(got, map[string]string{"cleanup.policy": "compact,delete", "segment.bytes": "2048"}) {
		t.Fatalf("configs %v", got)
	}
	err := execute(env, nil, "alter", "topic", "t", "--delete-config", "retention.ms")
	if err == nil || !strings.Contains(err.Error(), "Invalid config(s): retention.ms") {
		t.Fatalf("deleting an unset config: %v", err)
	}
	env.Out.Reset()
	if err := execute(env, nil, "alter", "brokers", "--entity-default", "--add-config", "log.cleaner.threads=2"); err != nil {
		t.Fatal(err)
	}
	if env.Out.String() != "Completed updating default config for brokers in the cluster.\n" {
		t.Fatalf("stdout %q", env.Out.String())
	}
}
