package configs

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clitest"
)

func executeClientQuotas(env *clitest.Env, args ...string) error {
	cmd := NewCmdClientQuotas(env.Factory, nil)
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	return cmd.ExecuteContext(context.Background())
}

// TestClientQuotasCommand: kq client-quotas alters and describes the same
// entities as kq configs, and --describe alone lists every entity.
func TestClientQuotasCommand(t *testing.T) {
	env := clitest.New(admintest.NewCluster())
	for _, args := range [][]string{
		{"--alter", "--user", "alice", "--add-config", "producer_byte_rate=1048576"},
		{"--alter", "--user", "alice", "--client", "app", "--add-config", "consumer_byte_rate=2048"},
		{"--alter", "--client-defaults", "--add-config", "request_percentage=50"},
	} {
		if err := executeClientQuotas(env, args...); err != nil {
			t.Fatalf("%q: %v", args, err)
		}
	}
	env.Out.Reset()
	if err := executeClientQuotas(env, "--describe"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Quota configs for user-principal 'alice' are producer_byte_rate=1048576.0",
		"Quota configs for user-principal 'alice', client-id 'app' are consumer_byte_rate=2048.0",
		"Quota configs for the default client-id are request_percentage=50.0",
	} {
		if !strings.Contains(env.Out.String(), want) {
			t.Fatalf("describe lacks %q:\n%s", want, env.Out.String())
		}
	}
	env.Out.Reset()
	if err := executeClientQuotas(env, "--describe", "--user", "alice"); err != nil ||
		env.Out.String() != "Quota configs for user-principal 'alice' are producer_byte_rate=1048576.0\n" {
		t.Fatalf("describe alice: %v %q", err, env.Out.String())
	}
	for _, args := range [][]string{
		{},
		{"--describe", "--alter", "--user", "a"},
		{"--alter", "--add-config", "producer_byte_rate=1"},
		{"--describe", "--add-config", "producer_byte_rate=1"},
		{"--alter", "--user", "a", "--user-defaults", "--add-config", "producer_byte_rate=1"},
	} {
		if err := executeClientQuotas(env, args...); clierr.Code(err) != clierr.CodeUsage {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
}
