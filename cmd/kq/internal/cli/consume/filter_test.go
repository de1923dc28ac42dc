package consume

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clitest"
)

// TestConsumeFilter runs --filter over the records of filled: k0..k5,
// v0..v5, even numbers in partition 0, odd in 1, timestamps 1000..6000.
func TestConsumeFilter(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    string
		scanned int
	}{
		{"key", []string{"--filter", "key=k3"}, "v3\n", 6},
		{"bare text over key and value", []string{"--filter", "v4 or k5"}, "v4\nv5\n", 6},
		{"partition and offset", []string{"--filter", "partition=1 offset>=1"}, "v3\nv5\n", 3}, // partition 1 alone is read
		{"partitions or", []string{"--filter", "partition=1 offset>=1 or key=k0"}, "v0\nv3\nv5\n", 6},
		{"timestamp", []string{"--filter", "timestamp>=5000"}, "v4\nv5\n", 6},
		{"several flags all match", []string{"--filter", "value~^v[0-3]$", "--filter", "not partition=0"}, "v1\nv3\n", 6},
		{"max messages counts matches", []string{"--filter", "value~[135]", "--max-messages", "2"}, "v1\nv3\n", 5},
		{"nothing matches", []string{"--filter", "header.x"}, "", 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := clitest.New(filled(t))
			args := append([]string{"t", "--from-beginning", "-e"}, tt.args...)
			if err := execute(context.Background(), env, nil, args...); err != nil {
				t.Fatal(err)
			}
			if got := env.Out.String(); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			n := strings.Count(tt.want, "\n")
			if !strings.Contains(env.ErrOut.String(), "matched --filter") || !strings.HasSuffix(env.ErrOut.String(),
				"Processed a total of "+itoa(n)+" messages\n") {
				t.Fatalf("stderr %q", env.ErrOut.String())
			}
			if !strings.HasPrefix(env.ErrOut.String(), "Scanned "+itoa(tt.scanned)+" messages; "+itoa(n)+" matched") {
				t.Fatalf("stderr %q", env.ErrOut.String())
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestConsumeFilterUsageErrors(t *testing.T) {
	for _, tt := range []struct{ filter, want string }{
		{"", "--filter: empty filter"},
		{"nope:1", `--filter: unknown field "nope"`},
		{"key~[", "invalid regular expression"},
		{"$.a[", "unterminated JSONPath"},
		{"timestamp>soon", "want epoch milliseconds"},
	} {
		env := clitest.New(admintest.NewCluster())
		err := execute(context.Background(), env, func(context.Context, *Options) error { return errors.New("ran") },
			"t", "--filter", tt.filter)
		if clierr.Code(err) != clierr.CodeUsage || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("--filter %q: got %v, want a usage error with %q", tt.filter, err, tt.want)
		}
	}
}
