package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
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
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	common := write("client.properties", "bootstrap.servers=file:1\nclient.id=file\nacks=1\nlinger.ms=5\n")
	producer := write("producer.properties", "client.id=producer-file\nacks=0\n")
	tests := []struct {
		name       string
		opts       factory.Options
		use        factory.ClientUse
		wantID     string
		wantBroker string
		wantAcks   string
	}{
		{"profile", factory.Options{ProfileProperties: map[string]string{"client.id": "profile"}}, factory.ClientUse{}, "profile", "localhost:9092", ""},
		{"--command-config beats the profile", factory.Options{CommandConfig: common, ProfileProperties: map[string]string{"client.id": "profile"}},
			factory.ClientUse{}, "file", "file:1", ""},
		{"--producer.config beats --command-config", factory.Options{CommandConfig: common},
			factory.ClientUse{Scopes: []admin.Scope{admin.ScopeProducer}, ConfigFile: producer}, "producer-file", "file:1", "0"},
		{"-X beats --producer.config", factory.Options{CommandConfig: common, Overrides: map[string]string{"client.id": "x", "acks": "all"}},
			factory.ClientUse{Scopes: []admin.Scope{admin.ScopeProducer}, ConfigFile: producer}, "x", "file:1", "all"},
		{"--producer-property beats -X", factory.Options{Overrides: map[string]string{"client.id": "x"}},
			factory.ClientUse{Scopes: []admin.Scope{admin.ScopeProducer}, Properties: map[string]string{"client.id": "p"}}, "p", "localhost:9092", ""},
		{"--bootstrap-server beats all", factory.Options{BootstrapServer: "flag:1", CommandConfig: common}, factory.ClientUse{}, "file", "flag:1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var warn strings.Builder
			cfg, err := factory.BuildClientConfig(&tt.opts, tt.use, &warn)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.ClientID != tt.wantID || cfg.Brokers[0] != tt.wantBroker || cfg.Properties["acks"] != tt.wantAcks {
				t.Fatalf("client.id %q brokers %v acks %q", cfg.ClientID, cfg.Brokers, cfg.Properties["acks"])
			}
		})
	}
}

// TestBuildClientConfigScopes: a producer property given to a command that
// does not produce is dropped with a warning naming it, never silently;
// an unknown one is an error naming it.
func TestBuildClientConfigScopes(t *testing.T) {
	var warn strings.Builder
	opts := &factory.Options{Overrides: map[string]string{"acks": "all", "fetch.min.bytes": "1"}}
	cfg, err := factory.BuildClientConfig(opts, factory.ClientUse{Scopes: []admin.Scope{admin.ScopeConsumer}, Command: "kq consume"}, &warn)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cfg.Properties["acks"]; ok || cfg.Properties["fetch.min.bytes"] != "1" {
		t.Fatalf("properties %v", cfg.Properties)
	}
	if want := "Warning: acks is a producer property; kq consume does not use it."; !strings.Contains(warn.String(), want) {
		t.Fatalf("warning %q, want %q", warn.String(), want)
	}
	opts.Overrides = map[string]string{"mystery": "1"}
	_, err = factory.BuildClientConfig(opts, factory.ClientUse{}, &warn)
	if clierr.Code(err) != clierr.CodeUsage || !strings.Contains(err.Error(), "client property mystery: unknown") {
		t.Fatalf("unknown property: %v (exit %d)", err, clierr.Code(err))
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
