package tui

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clitest"
)

func execute(env *clitest.Env, runF func(context.Context, *Options) error, args ...string) error {
	cmd := NewCmdTUI(env.Factory, runF)
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	return cmd.ExecuteContext(context.Background())
}

func TestFlags(t *testing.T) {
	tests := []struct {
		args         []string
		wantRefresh  time.Duration
		wantReadOnly bool
		wantErr      bool
	}{
		{nil, 2 * time.Second, false, false},
		{[]string{"--refresh", "5s", "--read-only"}, 5 * time.Second, true, false},
		{[]string{"--refresh", "500ms"}, 500 * time.Millisecond, false, false},
		{[]string{"--refresh", "two"}, 0, false, true},
		{[]string{"extra"}, 0, false, true},
	}
	for _, tt := range tests {
		env := clitest.New(admintest.NewCluster())
		var got *Options
		err := execute(env, func(_ context.Context, o *Options) error { got = o; return nil }, tt.args...)
		if (err != nil) != tt.wantErr {
			t.Fatalf("%v: err %v", tt.args, err)
		}
		if err != nil {
			continue
		}
		if got.Refresh != tt.wantRefresh || got.ReadOnly != tt.wantReadOnly || got.Address() != "fake:9092" {
			t.Errorf("%v: options %+v", tt.args, got)
		}
		if src, err := got.Admin(); err != nil || src != env.Cluster {
			t.Errorf("%v: admin %v %v", tt.args, src, err)
		}
	}
}

func TestRunRefusals(t *testing.T) {
	tests := []struct {
		name string
		args []string
		tty  bool
	}{
		{"refresh below the minimum", []string{"--refresh", "10ms"}, true},
		{"not a terminal", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := clitest.New(admintest.NewCluster())
			env.Factory.IOStreams.SetTTY(tt.tty, tt.tty, tt.tty)
			err := execute(env, nil, tt.args...)
			var usage *clierr.UsageError
			if !errors.As(err, &usage) {
				t.Fatalf("err %v, want a usage error", err)
			}
		})
	}
}

func TestCopyFile(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  string
		want string
	}{
		{"none", nil, "", ""},
		{"flag", []string{"--copy-file", "/tmp/a.json"}, "", "/tmp/a.json"},
		{"environment", nil, "/tmp/env.json", "/tmp/env.json"},
		{"the flag wins", []string{"--copy-file", "/tmp/a.json"}, "/tmp/env.json", "/tmp/a.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := clitest.New(admintest.NewCluster())
			env.Factory.Getenv = func(k string) string {
				if k == copyFileEnv {
					return tt.env
				}
				return ""
			}
			var got *Options
			if err := execute(env, func(_ context.Context, o *Options) error { got = o; return nil }, tt.args...); err != nil {
				t.Fatal(err)
			}
			if got.CopyFile != tt.want || got.NewConsumer == nil {
				t.Fatalf("copy file %q (consumer %v), want %q", got.CopyFile, got.NewConsumer != nil, tt.want)
			}
		})
	}
}

// TestProduceDialogGetsAProducer: the TUI's produce dialog writes through
// the factory's producer, with acks=all and idempotence.
func TestProduceDialogGetsAProducer(t *testing.T) {
	cluster := admintest.NewCluster()
	env := clitest.New(cluster)
	var got *Options
	if err := execute(env, func(_ context.Context, o *Options) error { got = o; return nil }); err != nil {
		t.Fatal(err)
	}
	newProducer := producerFor(got.NewProducer)
	if newProducer == nil {
		t.Fatal("kq tui gives the TUI no producer")
	}
	p, err := newProducer()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	fake, ok := p.(*admintest.Producer)
	if !ok || fake.Config.Acks != admin.AcksAll || !fake.Config.Idempotent {
		t.Fatalf("producer %T %+v, want acks=all idempotent", p, fake)
	}
}
