package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
)

func generate(t *testing.T) (string, string) {
	t.Helper()
	dir := t.TempDir()
	man, comp := filepath.Join(dir, "man"), filepath.Join(dir, "completions")
	ios, _, _, errOut := iostreams.Test()
	if code := Run(context.Background(), []string{"gendocs", "--man-dir", man, "--completion-dir", comp}, ios, env(nil)); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	return man, comp
}

func TestGenDocs(t *testing.T) {
	man, comp := generate(t)
	for _, name := range []string{"kq.1", "kq-topics.1", "kq-topics-create.1", "kq-produce.1", "kq-consume.1", "kq-configs.1", "kq-cluster.1"} {
		page, err := os.ReadFile(filepath.Join(man, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(page, []byte(".SH EXIT STATUS\n.TP\n\\fB0\\fP\nSuccess.")) || !bytes.Contains(page, []byte("\\fB130\\fP")) {
			t.Fatalf("%s has no EXIT STATUS section", name)
		}
	}
	if _, err := os.Stat(filepath.Join(man, "kq-gendocs.1")); err == nil {
		t.Fatal("the hidden gendocs command got a man page")
	}
	for _, name := range []string{"kq.bash", "_kq", "kq.fish", "kq.ps1"} {
		script, err := os.ReadFile(filepath.Join(comp, name))
		if err != nil || !strings.Contains(string(script), "__complete") {
			t.Fatalf("%s: %v", name, err)
		}
	}
}

// TestGenDocsIsReproducible guards `make generate` checks in CI: two runs
// write the same bytes.
func TestGenDocsIsReproducible(t *testing.T) {
	man1, comp1 := generate(t)
	man2, comp2 := generate(t)
	for _, pair := range [][2]string{{man1, man2}, {comp1, comp2}} {
		entries, err := os.ReadDir(pair[0])
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			a, _ := os.ReadFile(filepath.Join(pair[0], e.Name()))
			b, _ := os.ReadFile(filepath.Join(pair[1], e.Name()))
			if !bytes.Equal(a, b) {
				t.Fatalf("%s differs between runs", e.Name())
			}
		}
	}
}
