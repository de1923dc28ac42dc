package configs

import (
	"context"
	"strings"
	"testing"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clitest"
	"github.com/spf13/cobra"
)

// TestEntityShortcuts: kafka-configs' --ip, --broker-logger,
// --client-metrics and --ip-defaults name the entity type and name (or
// default) kafka-configs.sh maps them to (--user and --client are the
// quota code's, see quotas_test.go).
func TestEntityShortcuts(t *testing.T) {
	tests := []struct {
		args      []string
		typ, name string
		isDefault bool
	}{
		{[]string{"--ip", "10.0.0.1"}, "ips", "10.0.0.1", false},
		{[]string{"--broker-logger", "1"}, "broker-loggers", "1", false},
		{[]string{"--client-metrics", "m"}, "client-metrics", "m", false},
		{[]string{"--ip-defaults"}, "ips", "", true},
	}
	for _, tt := range tests {
		cmd := &cobra.Command{Use: "configs"}
		registerShortcuts(cmd)
		if err := cmd.Flags().Parse(tt.args); err != nil {
			t.Fatal(err)
		}
		k := &kafkaFlags{}
		flag, err := k.applyShortcuts(cmd.Flags())
		if err != nil || k.entityType != tt.typ || k.entityName != tt.name || k.isDefault != tt.isDefault || flag != strings.TrimPrefix(tt.args[0], "--") {
			t.Errorf("%q: %+v %q %v", tt.args, k, flag, err)
		}
	}
}

func TestConfigsKafkaFlags(t *testing.T) {
	var d *DescribeOptions
	r := &Runners{Describe: func(_ context.Context, o *DescribeOptions) error { d = o; return nil }}
	if err := execute(clitest.New(admintest.NewCluster()), r, "--describe", "--topic", "t", "--force"); err != nil ||
		d == nil || d.Entity != (Entity{Type: admin.TopicResource, Name: "t"}) {
		t.Fatalf("--force: %+v %v", d, err)
	}
	// --user alone is --entity-type users: its quotas, then its SCRAM
	// credentials.
	var u *UsersOptions
	r = &Runners{Users: func(_ context.Context, o *UsersOptions) error { u = o; return nil }}
	if err := execute(clitest.New(admintest.NewCluster()), r, "--describe", "--user", "alice"); err != nil || u == nil || u.User != "alice" {
		t.Fatalf("--user alice: %+v %v", u, err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--describe", "--topic", "t", "--bootstrap-controller", "c:9093"}, "--bootstrap-controller is refused"},
		{[]string{"--describe", "--topic", "t", "--zk-tls-config-file", "zk.properties"}, "--zk-tls-config-file goes with --zookeeper"},
		{[]string{"--describe", "--topic", "t", "--user", "alice"}, "give one entity"},
		{[]string{"--describe", "--entity-type", "topics", "--ip-defaults"}, "should not be used in conjunction with specific entity flags"},
		{[]string{"--describe", "--ip", "10.0.0.1"}, "--ip: "},
	} {
		err := execute(clitest.New(admintest.NewCluster()), &Runners{}, tc.args...)
		if clierr.Code(err) != clierr.CodeUsage || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want a usage error naming %q", tc.args, err, tc.want)
		}
	}
}
