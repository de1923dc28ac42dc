package metrics

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kqhq/kq/store/meta/zktest"
	"github.com/kqhq/kq/test/harness"
)

// lockedBuffer lets the process's stdout and stderr share one buffer.
type lockedBuffer struct {
	mu sync.Mutex
	b  *bytes.Buffer
}

func (w *lockedBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// readyErr checks one /readyz answer: its status and a part of its body.
func readyErr(addr string, wantCode int, wantBody string) error {
	code, body, err := health(addr, "/readyz")
	if err != nil {
		return err
	}
	if code != wantCode || !strings.Contains(body, wantBody) {
		return fmt.Errorf("/readyz = %d %q, want %d containing %q", code, body, wantCode, wantBody)
	}
	return nil
}

// proxy forwards the connections accepted on ln to target, so a test can
// make ZooKeeper reachable at an address only once it chooses to.
func proxy(t *testing.T, ln net.Listener, target string) {
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", target)
			if err != nil {
				in.Close()
				continue
			}
			go pipe(in, out)
			go pipe(out, in)
		}
	}()
}

func pipe(dst, src net.Conn) {
	defer dst.Close()
	defer src.Close()
	_, _ = io.Copy(dst, src)
}

// TestReadyOnlyOnceRegistered starts a broker whose ZooKeeper is not
// reachable yet: it is alive (/healthz) but not ready until it has
// registered, which it does once ZooKeeper answers.
func TestReadyOnlyOnceRegistered(t *testing.T) {
	zk := zktest.Start(t)
	zkPort := harness.FreePort(t)
	maddr := metricsAddr(t)
	dir := t.TempDir()
	conf := filepath.Join(dir, "server.properties")
	props := fmt.Sprintf("broker.id=1\nlisteners=PLAINTEXT://127.0.0.1:%d\nlog.dirs=%s\nzookeeper.connect=127.0.0.1:%d/kq\n"+
		"zookeeper.connection.timeout.ms=120000\nkq.metrics.listener=%s\n", harness.FreePort(t), filepath.Join(dir, "logs"), zkPort, maddr)
	if err := os.WriteFile(conf, []byte(props), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	w := &lockedBuffer{b: &out}
	cmd := exec.Command(harness.Binary(t), "server", conf)
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("broker log:\n%s", out.String())
		}
	})

	harness.Eventually(t, 30*time.Second, "/healthz 200 while ZooKeeper is unreachable", func() error {
		code, _, err := health(maddr, "/healthz")
		if err == nil && code != http.StatusOK {
			err = fmt.Errorf("/healthz %d", code)
		}
		return err
	})
	if err := readyErr(maddr, http.StatusServiceUnavailable, "not registered"); err != nil {
		t.Fatal(err)
	}
	s := mustScrape(t, maddr)
	if s.get(t, "kafka_server_replicamanager_partitioncount") != 0 {
		t.Errorf("an unregistered broker reports partitions")
	}
	if state := s.get(t, "kafka_server_kafkaserver_brokerstate"); state != 1 {
		t.Errorf("broker state %v before registration, want 1 (starting)", state)
	}

	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", zkPort))
	if err != nil {
		t.Fatal(err)
	}
	proxy(t, ln, zk.Addr())
	waitReady(t, maddr)
	if state := mustScrape(t, maddr).get(t, "kafka_server_kafkaserver_brokerstate"); state != 3 {
		t.Errorf("broker state %v once ready, want 3 (running)", state)
	}
}
