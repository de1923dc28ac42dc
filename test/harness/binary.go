package harness

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

var binPath string

// Main builds the kq binary, runs the package's tests and removes the
// build. Call it from TestMain.
func Main(m *testing.M) int {
	dir, err := os.MkdirTemp("", "kq-harness-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "harness:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	binPath = filepath.Join(dir, "kq")
	build := exec.Command("go", "build", "-o", binPath, "github.com/kqhq/kq/cmd/kq")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "harness: build kq:", err)
		return 1
	}
	return m.Run()
}

// Binary returns the path of the kq binary built by Main.
func Binary(t testing.TB) string {
	t.Helper()
	if binPath == "" {
		t.Fatal("harness.Main was not called from TestMain")
	}
	return binPath
}
