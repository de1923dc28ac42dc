package configs

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clitest"
)

func TestQuotaFlagsToOptions(t *testing.T) {
	tests := []struct {
		args  []string
		alter bool
		want  []QuotaPart
		set   map[string]float64
	}{
		{[]string{"--alter", "--entity-type", "users", "--entity-name", "alice", "--add-config", "producer_byte_rate=1048576"}, true,
			[]QuotaPart{{Type: "user", Name: "alice"}}, map[string]float64{"producer_byte_rate": 1048576}},
		{[]string{"--alter", "--entity-type", "clients", "--entity-default", "--add-config", "request_percentage=12.5"}, true,
			[]QuotaPart{{Type: "client-id", Default: true}}, map[string]float64{"request_percentage": 12.5}},
		{[]string{"--alter", "--user", "alice", "--client-defaults", "--add-config", "consumer_byte_rate=10"}, true,
			[]QuotaPart{{Type: "user", Name: "alice"}, {Type: "client-id", Default: true}}, map[string]float64{"consumer_byte_rate": 10}},
		{[]string{"--describe", "--entity-type", "users"}, false, []QuotaPart{{Type: "user"}}, nil},
		{[]string{"--describe", "--user-defaults"}, false, []QuotaPart{{Type: "user", Default: true}}, nil},
	}
	for _, tt := range tests {
		var got *QuotaOptions
		alter := false
		r := &Runners{
			QuotaDescribe: func(_ context.Context, o *QuotaOptions) error { got = o; return nil },
			QuotaAlter:    func(_ context.Context, o *QuotaOptions) error { got, alter = o, true; return nil },
		}
		if err := execute(clitest.New(admintest.NewCluster()), r, tt.args...); err != nil {
			t.Fatalf("%q: %v", tt.args, err)
		}
		if got == nil || alter != tt.alter || !reflect.DeepEqual(got.Entity.Parts, tt.want) || (tt.alter && !reflect.DeepEqual(got.Set, tt.set)) {
			t.Errorf("%q: %+v alter=%v", tt.args, got, alter)
		}
	}
}

func TestQuotaUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--alter", "--entity-type", "users", "--add-config", "producer_byte_rate=1"},
		{"--alter", "--user", "a", "--add-config", "producer_byte_rate=fast"},
		{"--alter", "--user", "a", "--user-defaults", "--add-config", "producer_byte_rate=1"},
		{"--alter", "--user", "a", "--entity-type", "users", "--add-config", "producer_byte_rate=1"},
		{"--describe", "--user", "a", "--add-config", "producer_byte_rate=1"},
		{"--describe", "--entity-type", "users", "--entity-name", "a", "--entity-default"},
		{"--describe", "--user", "a", "--all"},
		{"--alter", "--client", "c"},
	} {
		ran := false
		r := &Runners{
			QuotaDescribe: func(context.Context, *QuotaOptions) error { ran = true; return nil },
			QuotaAlter:    func(context.Context, *QuotaOptions) error { ran = true; return nil },
		}
		err := execute(clitest.New(admintest.NewCluster()), r, args...)
		if clierr.Code(err) != clierr.CodeUsage || ran {
			t.Errorf("%q: err %v ran %v", args, err, ran)
		}
	}
}

// TestQuotaAlterDescribeGolden: kafka-configs' output for quota entities.
func TestQuotaAlterDescribeGolden(t *testing.T) {
	env := clitest.New(admintest.NewCluster())
	steps := []struct {
		args []string
		want string
	}{
		{[]string{"--alter", "--entity-type", "users", "--entity-name", "alice", "--add-config", "producer_byte_rate=1048576,request_percentage=50"},
			"Completed updating config for user alice.\n"},
		{[]string{"--alter", "--user", "alice", "--client", "app", "--add-config", "consumer_byte_rate=20971520"},
			"Completed updating config for user alice.\n"},
		{[]string{"--alter", "--entity-type", "clients", "--entity-default", "--add-config", "producer_byte_rate=1024"},
			"Completed updating default config for clients in the cluster.\n"},
		{[]string{"--describe", "--entity-type", "users", "--entity-name", "alice"},
			"Quota configs for user-principal 'alice' are producer_byte_rate=1048576.0, request_percentage=50.0\n"},
		{[]string{"--describe", "--user", "alice", "--client", "app"},
			"Quota configs for user-principal 'alice', client-id 'app' are consumer_byte_rate=2.097152E7\n"},
		{[]string{"--describe", "--entity-type", "clients"},
			"Quota configs for the default client-id are producer_byte_rate=1024.0\n"},
		{[]string{"--alter", "--user", "alice", "--delete-config", "request_percentage"},
			"Completed updating config for user alice.\n"},
		{[]string{"--describe", "--user", "alice"},
			"Quota configs for user-principal 'alice' are producer_byte_rate=1048576.0\n"},
	}
	for _, s := range steps {
		env.Out.Reset()
		if err := execute(env, nil, s.args...); err != nil {
			t.Fatalf("%q: %v", s.args, err)
		}
		if got := env.Out.String(); got != s.want {
			t.Fatalf("%q:\n got %q\nwant %q", s.args, got, s.want)
		}
	}
	err := execute(env, nil, "--alter", "--user", "alice", "--delete-config", "request_percentage")
	if err == nil || !strings.Contains(err.Error(), "Invalid config(s): request_percentage") {
		t.Fatalf("deleting an unset quota: %v", err)
	}
}

func TestJavaDouble(t *testing.T) {
	for v, want := range map[float64]string{1048576: "1048576.0", 0.5: "0.5", 12.25: "12.25", 2.097152e7: "2.097152E7", 1e7: "1.0E7", 0: "0.0"} {
		if got := javaDouble(v); got != want {
			t.Errorf("javaDouble(%v) = %q, want %q", v, got, want)
		}
	}
}
