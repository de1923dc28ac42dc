package profile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestLoadAndSelect(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	body := "current-profile: local\nprofiles:\n  local:\n    bootstrap-server: l:9092\n  prod:\n    bootstrap-server: p:9093\n    properties:\n      security.protocol: SSL\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, want string
		wantErr    bool
	}{
		{"", "l:9092", false},
		{"prod", "p:9093", false},
		{"nope", "", true},
	}
	for _, tt := range tests {
		p, err := f.Select(tt.name)
		if (err != nil) != tt.wantErr || p.BootstrapServer != tt.want {
			t.Errorf("%q: got %+v %v", tt.name, p, err)
		}
		if err != nil && !errors.Is(err, ErrUnknownProfile) {
			t.Errorf("%q: error %v is not ErrUnknownProfile", tt.name, err)
		}
	}
}

func TestMissingFileIsEmpty(t *testing.T) {
	f, err := Load(filepath.Join(t.TempDir(), "none.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if p, err := f.Select(""); err != nil || p.BootstrapServer != "" {
		t.Fatalf("got %+v %v", p, err)
	}
}

func TestBadYAML(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	_ = os.WriteFile(path, []byte("profiles: [1"), 0o600)
	if _, err := Load(path); err == nil {
		t.Fatal("want an error")
	}
}

func TestPath(t *testing.T) {
	env := map[string]string{"HOME": "/h"}
	get := func(k string) string { return env[k] }
	if got := Path(get); got != "/h/.config/kq/config.yaml" {
		t.Errorf("got %q", got)
	}
	env["XDG_CONFIG_HOME"] = "/x"
	if got := Path(get); got != "/x/kq/config.yaml" {
		t.Errorf("got %q", got)
	}
	env["KQ_CONFIG"] = "/k.yaml"
	if got := Path(get); got != "/k.yaml" {
		t.Errorf("got %q", got)
	}
}
