package cluster

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clitest"
)

func execute(env *clitest.Env, runF func(context.Context, *Options) error, args ...string) error {
	cmd := NewCmdCluster(env.Factory, runF)
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	return cmd.ExecuteContext(context.Background())
}

func TestArgsToOptions(t *testing.T) {
	for args, want := range map[string]What{"": All, "brokers": Brokers, "controller": Controller, "id": ID} {
		env := clitest.New(admintest.NewCluster())
		var got What = -1
		argv := []string{}
		if args != "" {
			argv = append(argv, args)
		}
		if err := execute(env, func(_ context.Context, o *Options) error { got = o.What; return nil }, argv...); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%q: got %v", args, got)
		}
	}
}

func TestOutput(t *testing.T) {
	tests := []struct {
		args   []string
		format string
		want   string
	}{
		{nil, "table", "Cluster ID: test-cluster\nController: 1\n\nID  HOST       PORT  RACK  CONTROLLER\n1   localhost  9092  -     *\n2   localhost  9093  -\n"},
		{[]string{"id"}, "table", "test-cluster\n"},
		{[]string{"controller"}, "table", "1\n"},
		{[]string{"controller"}, "json", "{\n  \"controller\": 1\n}\n"},
		{[]string{"brokers"}, "yaml", "- id: 1\n  host: localhost\n  port: 9092\n- id: 2\n  host: localhost\n  port: 9093\n"},
	}
	for _, tt := range tests {
		env := clitest.New(admintest.NewCluster(1, 2))
		env.Opts.Output = "table"
		if tt.format != "table" {
			env.Opts.Output = "json"
			if tt.format == "yaml" {
				env.Opts.Output = "yaml"
			}
		}
		if err := execute(env, nil, tt.args...); err != nil {
			t.Fatal(err)
		}
		if got := env.Out.String(); got != tt.want {
			t.Errorf("%v %s: got %q", tt.args, tt.format, got)
		}
	}
}

func TestUnreachable(t *testing.T) {
	c := admintest.NewCluster()
	c.Fail("Cluster", context.DeadlineExceeded)
	err := execute(clitest.New(c), nil)
	if clierr.Code(err) != clierr.CodeUnavailable || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
}
