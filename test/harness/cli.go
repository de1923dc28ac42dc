package harness

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"testing"
	"time"
)

// Result is a finished CLI command.
type Result struct {
	Stdout, Stderr string
	Code           int
}

// KQ runs the kq binary with args and stdin, with NO_COLOR set.
func KQ(t testing.TB, stdin io.Reader, args ...string) Result {
	t.Helper()
	return run(t, Binary(t), stdin, args...)
}

// KQEnv runs the kq binary like KQ with env (KEY=value) added to the
// environment.
func KQEnv(t testing.TB, env []string, stdin io.Reader, args ...string) Result {
	t.Helper()
	return runEnv(context.Background(), t, Binary(t), env, stdin, args...)
}

// Kcat runs kcat; the test is skipped when kcat is missing unless
// KQ_REQUIRE_CLIENTS=1.
func Kcat(t testing.TB, stdin io.Reader, args ...string) Result {
	t.Helper()
	path, err := exec.LookPath("kcat")
	if err != nil {
		if os.Getenv("KQ_REQUIRE_ZK") == "1" || os.Getenv("KQ_REQUIRE_CLIENTS") == "1" {
			t.Fatal("kcat is not installed (make test-deps installs it)")
		}
		t.Skip("kcat is not installed; make test-deps installs it")
	}
	return run(t, path, stdin, args...)
}

// KQWithin runs the kq binary like KQ but kills it after timeout (a
// command expected to fail fast, such as a server that must refuse to start).
func KQWithin(t testing.TB, timeout time.Duration, args ...string) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	res := runContext(ctx, t, Binary(t), nil, args...)
	if ctx.Err() != nil {
		t.Fatalf("kq %v still running after %s", args, timeout)
	}
	return res
}

func run(t testing.TB, bin string, stdin io.Reader, args ...string) Result {
	t.Helper()
	return runContext(context.Background(), t, bin, stdin, args...)
}

func runContext(ctx context.Context, t testing.TB, bin string, stdin io.Reader, args ...string) Result {
	t.Helper()
	return runEnv(ctx, t, bin, nil, stdin, args...)
}

func runEnv(ctx context.Context, t testing.TB, bin string, env []string, stdin io.Reader, args ...string) Result {
	t.Helper()
	cmd := exec.CommandContext(ctx, bin, args...)
	var out, errb bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, &out, &errb
	cmd.Env = append(append(os.Environ(), "NO_COLOR=1"), env...)
	err := cmd.Run()
	res := Result{Stdout: out.String(), Stderr: errb.String()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		res.Code = exit.ExitCode()
	case err != nil:
		t.Fatalf("run %s: %v", bin, err)
	}
	return res
}
