package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// broker is one broker process under test.
type broker struct {
	name string
	addr string
	// addrs are every broker's address in the process, addr first.
	addrs []string
	cmd   *exec.Cmd
	dir   string
}

// brokerKind starts a fresh broker process of one implementation.
type brokerKind struct {
	name    string
	brokers int // in the process, on consecutive ports
	start   func(ctx context.Context, cfg config, port int, dir string) *exec.Cmd
}

var kinds = []brokerKind{
	{"kq", 1, func(ctx context.Context, cfg config, port int, dir string) *exec.Cmd {
		return exec.CommandContext(ctx, cfg.kqBin, "server", "--broker-id", "1",
			"--listeners", fmt.Sprintf("PLAINTEXT://127.0.0.1:%d", port), "--log-dirs", dir)
	}},
	{"kfake", 1, func(ctx context.Context, cfg config, port int, dir string) *exec.Cmd {
		return exec.CommandContext(ctx, cfg.kfakeBin, "--port", strconv.Itoa(port), "--data-dir", dir)
	}},
}

// kq3 is three kq brokers in one process on ports port..port+2, for the
// replication comparison; the process's CPU is all three brokers'.
var kq3 = brokerKind{"kq-3", 3, func(ctx context.Context, cfg config, port int, dir string) *exec.Cmd {
	return exec.CommandContext(ctx, cfg.kqBin, "server", "--brokers", "3",
		"--listeners", fmt.Sprintf("PLAINTEXT://127.0.0.1:%d", port), "--log-dirs", dir)
}}

func startBroker(ctx context.Context, cfg config, k brokerKind) (*broker, error) {
	port, err := freePorts(k.brokers)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "kqbench-"+k.name+"-")
	if err != nil {
		return nil, fmt.Errorf("temp dir: %w", err)
	}
	cmd := k.start(ctx, cfg, port, filepath.Join(dir, "data"))
	cmd.Stdout, cmd.Stderr = nil, nil // their logs would interleave with the harness's progress
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start %s: %w", k.name, err)
	}
	b := &broker{name: k.name, addr: fmt.Sprintf("127.0.0.1:%d", port), cmd: cmd, dir: dir}
	for i := range k.brokers {
		b.addrs = append(b.addrs, fmt.Sprintf("127.0.0.1:%d", port+i))
	}
	for _, addr := range b.addrs {
		if err := waitListening(ctx, addr, 30*time.Second); err != nil {
			b.stop()
			return nil, fmt.Errorf("%s: %w", k.name, err)
		}
	}
	return b, nil
}

// stop ends the broker with SIGTERM, as an operator would, and removes its data.
func (b *broker) stop() {
	_ = b.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = b.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = b.cmd.Process.Kill()
		<-done
	}
	os.RemoveAll(b.dir)
}

// cpuSeconds is the broker process's user plus system CPU time so far.
func (b *broker) cpuSeconds() (float64, error) {
	return processCPUSeconds(b.cmd.Process.Pid)
}

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat's times: 100 on
// every Linux architecture Go supports.
const clockTicks = 100

func processCPUSeconds(pid int) (float64, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("read cpu time: %w", err)
	}
	return statCPUSeconds(string(raw))
}

// statCPUSeconds reads utime and stime (fields 14 and 15) of a
// /proc/<pid>/stat line. The command name (field 2) may hold spaces and
// parentheses, so fields are counted from after its last ')'.
func statCPUSeconds(stat string) (float64, error) {
	fields := strings.Fields(stat[strings.LastIndexByte(stat, ')')+1:])
	if len(fields) < 13 {
		return 0, fmt.Errorf("short /proc stat line %q", stat)
	}
	utime, err1 := strconv.ParseFloat(fields[11], 64)
	stime, err2 := strconv.ParseFloat(fields[12], 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("parse /proc stat times %q %q", fields[11], fields[12])
	}
	return (utime + stime) / clockTicks, nil
}

// freePorts finds n consecutive free loopback ports and returns the first.
func freePorts(n int) (int, error) {
	for range 100 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, fmt.Errorf("free port: %w", err)
		}
		first := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if portsFree(first+1, n-1) {
			return first, nil
		}
	}
	return 0, fmt.Errorf("no %d consecutive free ports", n)
}

func portsFree(first, n int) bool {
	for p := first; p < first+n; p++ {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err != nil {
			return false
		}
		l.Close()
	}
	return true
}

func waitListening(ctx context.Context, addr string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			return c.Close()
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("not listening on %s after %s: %w", addr, limit, err)
		}
		time.Sleep(50 * time.Millisecond) // polling a port that is not open yet
	}
}
