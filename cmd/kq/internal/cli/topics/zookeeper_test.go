package topics

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clitest"
)

func TestZooKeeperConnectPrecedence(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		env   string
		want  string
		usage bool
	}{
		{"neither", nil, "", "", false},
		{"flag", []string{"--zookeeper", "zk:2181/kq"}, "", "zk:2181/kq", false},
		{"env", nil, "env:2181", "env:2181", false},
		{"flag over env", []string{"--zookeeper", "zk:2181"}, "env:2181", "zk:2181", false},
		{"bootstrap over env", []string{"--bootstrap-server", "b:9092"}, "env:2181", "", false},
		{"both flags", []string{"--bootstrap-server", "b:9092", "--zookeeper", "zk:2181"}, "", "", true},
		{"empty flag", []string{"--zookeeper", ""}, "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := &cobra.Command{Use: "topics"}
			cmd.Flags().String("bootstrap-server", "", "")
			addZooKeeperFlag(cmd)
			if err := cmd.ParseFlags(tt.args); err != nil {
				t.Fatal(err)
			}
			got, err := zooKeeperConnect(cmd, func(string) string { return tt.env })
			if tt.usage {
				if clierr.Code(err) != clierr.CodeUsage {
					t.Fatalf("err %v, want a usage error", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// rootWith puts `kq topics` under a root that has the global
// --bootstrap-server, as in the real tree.
func rootWith(topics *cobra.Command) *cobra.Command {
	root := &cobra.Command{Use: "kq"}
	root.PersistentFlags().StringP("bootstrap-server", "b", "", "")
	root.AddCommand(topics)
	return root
}

// A malformed connect string fails before any dial, with a usage error:
// seeing it proves the command went to ZooKeeper rather than to the fake
// cluster (where the same command succeeds).
const badConnect = "127.0.0.1:2181/a//b"

func TestZooKeeperFlagSwapsTheAdmin(t *testing.T) {
	tests := []struct {
		name string
		env  string
		args []string
		exit int
		msg  string
	}{
		{"kafka spelling", "", []string{"topics", "--list", "--zookeeper", badConnect}, clierr.CodeUsage, "--zookeeper: "},
		{"noun-verb", "", []string{"topics", "describe", "--zookeeper", badConnect}, clierr.CodeUsage, "--zookeeper: "},
		{"create", "", []string{"topics", "create", "t", "-p", "1", "-r", "1", "--zookeeper", badConnect}, clierr.CodeUsage, "--zookeeper: "},
		{"env", badConnect, []string{"topics", "--list"}, clierr.CodeUsage, "--zookeeper: "},
		{"bootstrap beats env", badConnect, []string{"topics", "-b", "fake:9092", "--list"}, clierr.CodeOK, ""},
		{"no zookeeper", "", []string{"topics", "list"}, clierr.CodeOK, ""},
		{"both", "", []string{"topics", "--list", "-b", "x:9092", "--zookeeper", "zk:2181"}, clierr.CodeUsage, "Only one of --bootstrap-server or --zookeeper"},
		{"under min isr", "", []string{"topics", "--describe", "--under-min-isr-partitions", "--zookeeper", "zk:2181"}, clierr.CodeUsage, "--under-min-isr-partitions can't be used with --zookeeper"},
		{"at min isr", "zk:2181", []string{"topics", "describe", "--at-min-isr-partitions"}, clierr.CodeUsage, "--at-min-isr-partitions can't be used with --zookeeper"},
		{"at min isr on brokers", "", []string{"topics", "describe", "--at-min-isr-partitions"}, clierr.CodeOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := clitest.New(admintest.NewCluster(1))
			env.Factory.Getenv = func(key string) string {
				if key == zooKeeperEnv {
					return tt.env
				}
				return ""
			}
			err := execute(rootWith(NewCmdTopics(env.Factory, nil)), tt.args...)
			if got := clierr.Code(err); got != tt.exit {
				t.Fatalf("exit %d (%v), want %d", got, err, tt.exit)
			}
			if err != nil && !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("message %q lacks %q", err, tt.msg)
			}
		})
	}
}

func TestDialZooKeeperUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // nothing listens there any more
	env := clitest.New(admintest.NewCluster())
	start := time.Now()
	_, err = dialZooKeeper(context.Background(), env.Factory, addr+"/kq", "", 300*time.Millisecond)
	if clierr.Code(err) != clierr.CodeUnavailable || !strings.Contains(err.Error(), "connect to ZooKeeper "+addr) {
		t.Fatalf("err %v (exit %d), want exit 5", err, clierr.Code(err))
	}
	if waited := time.Since(start); waited > 5*time.Second {
		t.Fatalf("gave up after %s, timeout was 300ms", waited)
	}
}
