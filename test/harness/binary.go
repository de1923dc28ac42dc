package harness

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var binPath string

// Main builds the kq binary, runs the package's tests and removes the
// build. Call it from TestMain.
func Main(m *testing.M) int { return MainWithTags(m) }

// MainWithTags is Main with the binary built with build tags, such as
// kqfaults for brokers whose disks a test can stall or fail.
func MainWithTags(m *testing.M, tags ...string) int {
	dir, err := os.MkdirTemp("", "kq-harness-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "harness:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	binPath = filepath.Join(dir, "kq")
	args := []string{"build", "-o", binPath}
	if len(tags) > 0 {
		args = append(args, "-tags", strings.Join(tags, ","))
	}
	build := exec.Command("go", append(args, "github.com/kqhq/kq/cmd/kq")...)
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
