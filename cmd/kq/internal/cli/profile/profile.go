// Package profile reads named cluster profiles from kq's config file, by
// default ~/.config/kq/config.yaml:
//
//	current-profile: local        # used when neither --profile nor KQ_PROFILE is set
//	profiles:
//	  local:
//	    bootstrap-server: localhost:9092
//	  prod:
//	    bootstrap-server: kafka1:9093,kafka2:9093
//	    command-config: /etc/kq/prod.properties
//	    properties:                # like -X key=value
//	      security.protocol: SASL_SSL
//	      sasl.mechanism: SCRAM-SHA-512
//
// The file is optional; a missing file means no profiles.
package profile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Profile is one named cluster.
type Profile struct {
	BootstrapServer string            `yaml:"bootstrap-server"`
	CommandConfig   string            `yaml:"command-config"`
	Properties      map[string]string `yaml:"properties"`
}

// File is the whole config file.
type File struct {
	CurrentProfile string             `yaml:"current-profile"`
	Profiles       map[string]Profile `yaml:"profiles"`
	path           string
}

// Path is where the config file lives: $KQ_CONFIG, else
// $XDG_CONFIG_HOME/kq/config.yaml, else ~/.config/kq/config.yaml.
func Path(getenv func(string) string) string {
	if p := getenv("KQ_CONFIG"); p != "" {
		return p
	}
	if dir := getenv("XDG_CONFIG_HOME"); dir != "" {
		return filepath.Join(dir, "kq", "config.yaml")
	}
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	return filepath.Join(home, ".config", "kq", "config.yaml")
}

// Load reads the config file at path; a missing file is an empty File.
func Load(path string) (*File, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &File{path: path}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	f := &File{path: path}
	if err := yaml.Unmarshal(raw, f); err != nil {
		return nil, fmt.Errorf("read config %s: %w", path, err)
	}
	return f, nil
}

// ErrUnknownProfile is returned by Select for a name the file lacks.
var ErrUnknownProfile = errors.New("unknown profile")

// Select returns the profile called name, or the file's current-profile
// when name is "". With neither, it returns an empty Profile.
func (f *File) Select(name string) (Profile, error) {
	if name == "" {
		name = f.CurrentProfile
	}
	if name == "" {
		return Profile{}, nil
	}
	p, ok := f.Profiles[name]
	if !ok {
		return Profile{}, fmt.Errorf("%w %q in %s (known: %s)", ErrUnknownProfile, name, f.path, f.names())
	}
	return p, nil
}

func (f *File) names() string {
	if len(f.Profiles) == 0 {
		return "none"
	}
	names := make([]string, 0, len(f.Profiles))
	for n := range f.Profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
