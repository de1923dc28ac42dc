package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
)

// TestKafkaScriptFlags: the flags every Kafka script takes (--version) and
// leader-election's --admin.config, through the whole command tree.
func TestKafkaScriptFlags(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "admin.properties")
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{"topics --version", []string{"topics", "--version"}, 0, "kq dev", ""},
		{"produce --version", []string{"produce", "--version"}, 0, "kq dev", ""},
		{"consume --version", []string{"consume", "--version"}, 0, "kq dev", ""},
		{"groups --version", []string{"groups", "--version"}, 0, "kq dev", ""},
		{"configs --version", []string{"configs", "--version"}, 0, "kq dev", ""},
		{"leader-election --version", []string{"leader-election", "--version"}, 0, "kq dev", ""},
		{"reassign --version", []string{"reassign", "--version"}, 0, "kq dev", ""},
		{"--admin.config is read as --command-config",
			[]string{"leader-election", "--admin.config", missing, "--election-type", "preferred", "--all-topic-partitions", "-b", "127.0.0.1:1"},
			2, "", "admin.properties"},
		{"--admin.config and a different --command-config",
			[]string{"leader-election", "--admin.config", "a", "--command-config", "b", "--election-type", "preferred", "--all-topic-partitions"},
			2, "", "--admin.config and --command-config name different files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, errOut := iostreams.Test()
			code := Run(context.Background(), tt.args, ios, env(map[string]string{"HOME": t.TempDir()}))
			if code != tt.wantCode {
				t.Fatalf("code %d, want %d; stdout %q stderr %q", code, tt.wantCode, out, errOut)
			}
			if !strings.Contains(out.String(), tt.wantStdout) || !strings.Contains(errOut.String(), tt.wantStderr) {
				t.Fatalf("stdout %q stderr %q", out, errOut)
			}
		})
	}
}
