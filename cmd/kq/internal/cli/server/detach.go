package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"

	"github.com/kqhq/kq/cmd/kq/internal/cli/factory"
)

// readyFDEnv names the environment variable that tells a detached child the
// descriptor of the pipe it reports readiness on. It is not a KQ_* broker
// key, so the configuration layers never read it.
const readyFDEnv = "KQ_SERVER_READY_FD"

// daemonOutputName is the file kafka-server-start.sh -daemon sends the
// broker's console output to, in LOG_DIR.
const daemonOutputName = "kafkaServer.out"

// daemonFlags are the spellings of -daemon removed from the child's arguments.
var daemonFlags = []string{"-daemon", "--daemon", "--daemon=true"}

// detach starts this same command again in the background, in its own
// session, with its output in LOG_DIR/kafkaServer.out (rewritten, as
// kafka-server-start.sh -daemon does). Unlike the script, it returns only once
// the broker is serving, or with the reason it exited during start-up and the
// end of its output, so a script that detaches a broker knows it runs.
func detach(ctx context.Context, f *factory.Factory, args []string) error {
	logDir, err := daemonLogDir(f.Getenv)
	if err != nil {
		return err
	}
	outPath := filepath.Join(logDir, daemonOutputName)
	out, err := os.OpenFile(outPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("open the daemon's output file: %w", err)
	}
	defer out.Close()
	child, ready, err := startDetached(args, out)
	if err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { ready.Close() }) // Ctrl-C stops the wait, not the broker
	defer stop()
	signalled, _ := io.ReadAll(ready)
	ready.Close()
	if ctx.Err() != nil {
		return fmt.Errorf("stopped waiting; the detached broker (pid %d) keeps starting, its output goes to %s: %w",
			child.Process.Pid, outPath, context.Cause(ctx))
	}
	if len(signalled) > 0 {
		fmt.Fprintf(f.IOStreams.ErrOut, "kq server is running in the background (pid %d); its output goes to %s\n",
			child.Process.Pid, outPath)
		return child.Process.Release()
	}
	state, err := child.Process.Wait()
	if err != nil {
		return fmt.Errorf("wait for the detached broker: %w", err)
	}
	return fmt.Errorf("the detached broker exited during start-up (%s); the end of %s:\n%s",
		state, outPath, tail(outPath, 20))
}

// startDetached runs the command without -daemon in a new session with
// stdin from /dev/null and stdout, stderr to out; it writes to the returned
// pipe once its brokers serve and closes it (unwritten) if it exits first.
func startDetached(args []string, out *os.File) (*exec.Cmd, *os.File, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, nil, fmt.Errorf("find the kq binary to detach: %w", err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, nil, fmt.Errorf("make the readiness pipe: %w", err)
	}
	defer w.Close()
	child := exec.Command(self, withoutDaemonFlag(args)...)
	child.Stdout, child.Stderr = out, out
	child.ExtraFiles = []*os.File{w} // descriptor 3 in the child
	child.Env = append(os.Environ(), readyFDEnv+"=3")
	child.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := child.Start(); err != nil {
		r.Close()
		return nil, nil, fmt.Errorf("start the detached broker: %w", err)
	}
	return child, r, nil
}

// daemonLogDir is LOG_DIR, or logs/ beside the kq binary, as
// kafka-run-class.sh places it beside bin/; it is created if missing.
func daemonLogDir(getenv func(string) string) (string, error) {
	dir := getenv("LOG_DIR")
	if dir == "" {
		self, err := os.Executable()
		if err != nil {
			return "", fmt.Errorf("find the kq binary for the default LOG_DIR: %w", err)
		}
		dir = filepath.Join(filepath.Dir(self), "logs")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("make LOG_DIR: %w", err)
	}
	return dir, nil
}

func withoutDaemonFlag(args []string) []string {
	return slices.DeleteFunc(slices.Clone(args), func(a string) bool { return slices.Contains(daemonFlags, a) })
}

// NormalizeDaemonFlag rewrites kafka-server-start.sh's single-dash -daemon
// into the flag parser's --daemon when the command is `server`.
func NormalizeDaemonFlag(args []string) []string {
	if !slices.Contains(args, "server") || !slices.Contains(args, "-daemon") {
		return args
	}
	out := slices.Clone(args)
	for i, a := range out {
		if a == "-daemon" {
			out[i] = "--daemon"
		}
	}
	return out
}

// signalReady tells the parent that detached this process that the brokers
// serve, when there is one.
func signalReady(getenv func(string) string) error {
	v := getenv(readyFDEnv)
	if v == "" {
		return nil
	}
	fd, err := strconv.Atoi(v)
	if err != nil || fd < 3 {
		return fmt.Errorf("%s=%q: want a descriptor number", readyFDEnv, v)
	}
	pipe := os.NewFile(uintptr(fd), "ready")
	defer pipe.Close()
	if _, err := pipe.Write([]byte("ready\n")); err != nil && !errors.Is(err, syscall.EPIPE) {
		return fmt.Errorf("report readiness: %w", err)
	}
	return nil
}

// tail returns the last n lines of a file, or a note why it cannot.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(cannot read it: %v)", err)
	}
	lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}
