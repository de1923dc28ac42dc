package tui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/kqhq/kq/admin/admintest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clitest"
	"github.com/kqhq/kq/cmd/kq/internal/cli/profile"
)

func writeConfig(t *testing.T, yaml string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestProfilesForCtx(t *testing.T) {
	path := writeConfig(t, `current-profile: west
profiles:
  west:
    bootstrap-server: west1:9092,west2:9092
  east:
    bootstrap-server: east1:9092
    properties:
      client.id: kq-east
`)
	p := profiles{path: path}
	names, err := p.Names()
	if err != nil || !slices.Equal(names, []string{"east", "west"}) {
		t.Fatalf("Names: %v %v", names, err)
	}
	c, err := p.Open("west")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.Address != "west1:9092,west2:9092" || c.Source == nil || c.Messages == nil {
		t.Fatalf("Open(west): %+v", c)
	}
	if _, err := p.Open("north"); !errors.Is(err, profile.ErrUnknownProfile) {
		t.Fatalf("Open(north): %v, want ErrUnknownProfile", err)
	}
	if names, err := (profiles{path: filepath.Join(t.TempDir(), "none.yaml")}).Names(); err != nil || len(names) != 0 {
		t.Fatalf("no config file: %v %v", names, err)
	}
}

// TestStartProfile: the header names --profile (or KQ_PROFILE, which
// the global options resolve into the same), else the file's
// current-profile.
func TestStartProfile(t *testing.T) {
	path := writeConfig(t, "current-profile: west\nprofiles:\n  west: {bootstrap-server: 'w:9092'}\n  east: {bootstrap-server: 'e:9092'}\n")
	for _, tt := range []struct {
		flag, want string
	}{{"", "west"}, {"east", "east"}} {
		env := clitest.New(admintest.NewCluster())
		env.Factory.Getenv = func(k string) string {
			if k == "KQ_CONFIG" {
				return path
			}
			return ""
		}
		env.Opts.Profile = tt.flag
		var got *Options
		if err := execute(env, func(_ context.Context, o *Options) error { got = o; return nil }); err != nil {
			t.Fatal(err)
		}
		if got.Profile != tt.want || got.Profiles == nil {
			t.Errorf("--profile %q: profile %q, want %q", tt.flag, got.Profile, tt.want)
		}
	}
}
