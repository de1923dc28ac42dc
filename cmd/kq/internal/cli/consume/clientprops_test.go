package consume

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clitest"
)

func TestIsolationLevelSources(t *testing.T) {
	tests := []struct {
		name  string
		props map[string]string // -X
		args  []string
		want  bool // read_committed
	}{
		{"default", nil, nil, false},
		{"flag", nil, []string{"--isolation-level", "read_committed"}, true},
		{"-X", map[string]string{"isolation.level": "read_committed"}, nil, true},
		{"--consumer-property", nil, []string{"--consumer-property", "isolation.level=read_committed"}, true},
		{"flag beats -X", map[string]string{"isolation.level": "read_committed"}, []string{"--isolation-level", "read_uncommitted"}, false},
		{"flag beats --consumer-property", nil, []string{"--consumer-property", "isolation.level=read_committed", "--isolation-level", "read_uncommitted"}, false},
		{"--consumer-property beats -X", map[string]string{"isolation.level": "read_committed"}, []string{"--consumer-property", "isolation.level=read_uncommitted"}, false},
	}
	for _, tt := range tests {
		env := clitest.New(admintest.NewCluster())
		env.Properties = tt.props
		var got *Options
		args := append([]string{"t"}, tt.args...)
		if err := execute(context.Background(), env, func(_ context.Context, o *Options) error { got = o; return nil }, args...); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got.ReadCommitted != tt.want {
			t.Errorf("%s: ReadCommitted = %v, want %v", tt.name, got.ReadCommitted, tt.want)
		}
		if cc := (&reader{opts: got}).consumerConfig(); cc.ReadCommitted != tt.want {
			t.Errorf("%s: the consumer config's ReadCommitted = %v", tt.name, cc.ReadCommitted)
		}
	}
}

func TestIsolationLevelErrors(t *testing.T) {
	tests := []struct {
		props map[string]string
		args  []string
		want  string
	}{
		{map[string]string{"isolation.level": "serializable"}, nil, "client property isolation.level"},
		{nil, []string{"--consumer-property", "isolation.level=dirty"}, "client property isolation.level"},
		{nil, []string{"--consumer-property", "interceptor.classes=a.B"}, "client property interceptor.classes: not supported"},
		{nil, []string{"--consumer-property", "no.such.thing=1"}, "client property no.such.thing: unknown"},
		{nil, []string{"--consumer.config", "/nonexistent/consumer.properties"}, "--consumer.config"},
		{map[string]string{"auto.offset.reset": "latest"}, []string{"--from-beginning"}, "can't use --from-beginning with auto.offset.reset=latest"},
		{map[string]string{"auto.offset.reset": "none"}, nil, "auto.offset.reset=none needs a group"},
		{map[string]string{"group.id": "g"}, []string{"--partition", "0"}, "--partition can't be used with a group (group.id g)"},
		{nil, []string{"--consumer-property", "isolation.level"}, "want key=value"},
	}
	for _, tt := range tests {
		env := clitest.New(admintest.NewCluster())
		env.Properties = tt.props
		err := execute(context.Background(), env, func(context.Context, *Options) error { return nil }, append([]string{"t"}, tt.args...)...)
		if clierr.Code(err) != clierr.CodeUsage || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v %v: got %v, want a usage error naming %q", tt.props, tt.args, err, tt.want)
		}
	}
}

// TestConsumerProperties: the consumer properties consume reads itself
// take effect, from any source; a producer property is warned about.
func TestConsumerProperties(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "consumer.properties")
	if err := os.WriteFile(file, []byte("group.id=from-file\nauto.offset.reset=earliest\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		props     map[string]string // -X
		args      []string
		wantGroup string
		wantStart bool // from the log start / earliest
		noReset   bool
	}{
		{"-X group.id", map[string]string{"group.id": "g"}, nil, "g", false, false},
		{"--group beats group.id", map[string]string{"group.id": "g"}, []string{"--group", "flag"}, "flag", false, false},
		{"--consumer-property auto.offset.reset", nil, []string{"--consumer-property", "auto.offset.reset=earliest"}, "", true, false},
		{"--offset beats auto.offset.reset", map[string]string{"auto.offset.reset": "earliest"}, []string{"--offset", "end"}, "", false, false},
		{"--consumer.config", nil, []string{"--consumer.config", file}, "from-file", true, false},
		{"--consumer-property beats --consumer.config", nil, []string{"--consumer.config", file, "--consumer-property", "group.id=p"}, "p", true, false},
		{"none with a group", map[string]string{"group.id": "g", "auto.offset.reset": "none"}, nil, "g", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := clitest.New(admintest.NewCluster())
			env.Properties = tt.props
			var got *Options
			if err := execute(context.Background(), env, func(_ context.Context, o *Options) error { got = o; return nil }, append([]string{"t"}, tt.args...)...); err != nil {
				t.Fatal(err)
			}
			if got.Group != tt.wantGroup || (got.Offset.Kind == OffsetStart) != tt.wantStart || got.NoReset != tt.noReset {
				t.Fatalf("group %q start %v noReset %v", got.Group, got.Offset.Kind == OffsetStart, got.NoReset)
			}
		})
	}
	env := clitest.New(admintest.NewCluster())
	env.Properties = map[string]string{"acks": "all"}
	err := execute(context.Background(), env, func(context.Context, *Options) error { return nil }, "t")
	if err != nil || !strings.Contains(env.ErrOut.String(), "acks is a producer property; kq consume does not use it") {
		t.Errorf("err %v, stderr %q", err, env.ErrOut)
	}
}

// TestExitAtEndReadCommittedStopsAtLastStableOffset: with an open
// transaction at offset 1 of partition 0, a read_committed consumer gets no
// further, so --exit-at-end stops there instead of waiting.
func TestExitAtEndReadCommittedStopsAtLastStableOffset(t *testing.T) {
	c := filled(t)
	c.SetProducers("t", 0, admin.ProducerState{ProducerID: 1, CurrentTransactionStartOffset: 1, LastSequence: -1})
	env := clitest.New(c)
	done := make(chan error, 1)
	go func() {
		done <- execute(context.Background(), env, nil, "t", "-p", "0", "--from-beginning", "-e", "--isolation-level", "read_committed")
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("--exit-at-end did not stop at the last stable offset")
	}
	if env.Out.String() != "v0\n" {
		t.Fatalf("got %q", env.Out.String())
	}
}
