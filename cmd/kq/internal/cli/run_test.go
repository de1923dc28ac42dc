package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
)

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func TestRunExitCodes(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{"version", []string{"version"}, 0, "kq dev", ""},
		{"unknown command", []string{"bogus"}, 2, "", `unknown command "bogus"`},
		{"unknown flag", []string{"version", "--nope"}, 2, "", "unknown flag: --nope"},
		{"extra argument", []string{"version", "x"}, 2, "", "Run 'kq version --help' for usage."},
		{"bad output", []string{"-o", "xml", "version"}, 2, "", "invalid output format"},
		{"bad -X", []string{"-X", "novalue", "version"}, 2, "", "want key=value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, errOut := iostreams.Test()
			code := Run(context.Background(), tt.args, ios, env(map[string]string{"HOME": t.TempDir()}))
			if code != tt.wantCode {
				t.Fatalf("code %d, want %d; stderr %q", code, tt.wantCode, errOut)
			}
			if !strings.Contains(out.String(), tt.wantStdout) || !strings.Contains(errOut.String(), tt.wantStderr) {
				t.Fatalf("stdout %q stderr %q", out, errOut)
			}
		})
	}
}

func TestRunInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(nil)
	ios, _, _, _ := iostreams.Test()
	// A cancelled context that is not an interrupt is an ordinary failure.
	if code := report(ctx, ios, nil, context.Canceled); code != 1 {
		t.Fatalf("code %d", code)
	}
}

// resolve runs the root's option resolution for args, as a command would.
func resolve(t *testing.T, args []string, kv map[string]string) (*factory.Options, error) {
	t.Helper()
	ios, _, _, _ := iostreams.Test()
	f := &factory.Factory{IOStreams: ios, Getenv: env(kv)}
	root := newRootCmd(f)
	if err := root.ParseFlags(args); err != nil {
		t.Fatal(err)
	}
	return f.Options()
}

func TestOptionsPrecedence(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	body := "current-profile: dev\nprofiles:\n  dev:\n    bootstrap-server: dev:9092\n    properties: {client.id: from-profile}\n  prod:\n    bootstrap-server: prod:9092\n"
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"current profile", nil, nil, "dev:9092"},
		{"named profile", []string{"--profile", "prod"}, nil, "prod:9092"},
		{"profile from env", nil, map[string]string{"KQ_PROFILE": "prod"}, "prod:9092"},
		{"env beats profile", nil, map[string]string{"KQ_BOOTSTRAP_SERVER": "env:1"}, "env:1"},
		{"flag beats env", []string{"-b", "flag:1"}, map[string]string{"KQ_BOOTSTRAP_SERVER": "env:1"}, "flag:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kv := map[string]string{"KQ_CONFIG": cfg}
			for k, v := range tt.env {
				kv[k] = v
			}
			opts, err := resolve(t, tt.args, kv)
			if err != nil {
				t.Fatal(err)
			}
			if opts.BootstrapServer != tt.want {
				t.Fatalf("bootstrap %q, want %q", opts.BootstrapServer, tt.want)
			}
		})
	}
	if _, err := resolve(t, []string{"--profile", "nope"}, map[string]string{"KQ_CONFIG": cfg}); err == nil {
		t.Fatal("unknown profile accepted")
	}
}

func TestBuildClientConfigOrder(t *testing.T) {
	dir := t.TempDir()
	props := filepath.Join(dir, "client.properties")
	if err := os.WriteFile(props, []byte("bootstrap.servers=file:1\nclient.id=file\nmystery=1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var warn strings.Builder
	opts := &factory.Options{CommandConfig: props, ProfileProperties: map[string]string{"client.id": "profile"},
		Overrides: map[string]string{"client.id": "x"}}
	cfg, err := factory.BuildClientConfig(opts, &warn)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ClientID != "x" || cfg.Brokers[0] != "file:1" {
		t.Fatalf("client.id %q brokers %v", cfg.ClientID, cfg.Brokers)
	}
	if !strings.Contains(warn.String(), "'mystery' was supplied but isn't a known config") {
		t.Fatalf("warning %q", warn.String())
	}
	opts.BootstrapServer = "flag:1"
	if cfg, _ := factory.BuildClientConfig(opts, &warn); cfg.Brokers[0] != "flag:1" {
		t.Fatalf("--bootstrap-server must win: %v", cfg.Brokers)
	}
	if cfg, _ := factory.BuildClientConfig(&factory.Options{}, &warn); cfg.Brokers[0] != "localhost:9092" {
		t.Fatalf("default: %v", cfg.Brokers)
	}
}

func TestNoColorFromEnvironment(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	ios.SetTTY(false, true, true)
	f := &factory.Factory{IOStreams: ios, Getenv: env(map[string]string{"KQ_NO_COLOR": "true"})}
	root := newRootCmd(f)
	if !ios.ColorEnabled() {
		t.Fatal("a terminal without NO_COLOR should start with colour")
	}
	if err := applyPresentationFlags(root, f); err != nil {
		t.Fatal(err)
	}
	if ios.ColorEnabled() {
		t.Fatal("KQ_NO_COLOR=true left colour on")
	}
}
