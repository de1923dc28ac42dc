package harness

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Options configure a broker process.
type Options struct {
	BrokerID  int32
	Zookeeper string            // zookeeper.connect; empty = embedded store
	Props     map[string]string // more server.properties
	Port      int               // 0 picks a free port
	DataDir   string            // "" = a new temp dir
	// ConfigAsArgument starts `kq server <file>`, kafka-server-start.sh's
	// spelling, instead of `kq server --config <file>`.
	ConfigAsArgument bool
	// ClientOpts are how the harness's own clients (WaitServing, Client)
	// connect: kgo.DialTLSConfig for a broker whose listener is SSL.
	ClientOpts []kgo.Opt
	// ServerArgs follow the config file on the kq server command line
	// (e.g. --log-level debug).
	ServerArgs []string
}

// Broker is a running `kq server` process.
type Broker struct {
	t       testing.TB
	Opts    Options
	Addr    string
	DataDir string
	conf    string
	// extraArgs follow `kq server --config <file>` (or `kq server <file>`).
	extraArgs []string

	mu   sync.Mutex
	cmd  *exec.Cmd
	logs *bytes.Buffer
	done chan error
}

// StartBroker starts a broker and waits until it answers Kafka requests.
func StartBroker(t testing.TB, opts Options) *Broker {
	t.Helper()
	if opts.DataDir == "" {
		opts.DataDir = t.TempDir()
	}
	if opts.Port == 0 {
		opts.Port = FreePort(t)
	}
	b := &Broker{t: t, Opts: opts, DataDir: opts.DataDir, Addr: fmt.Sprintf("127.0.0.1:%d", opts.Port)}
	b.conf = filepath.Join(opts.DataDir, "server.properties")
	if err := os.WriteFile(b.conf, []byte(b.properties()), 0o644); err != nil {
		t.Fatal(err)
	}
	// Registered before the start, so a broker that exits while starting
	// has its log shown too.
	t.Cleanup(func() {
		b.Stop()
		if t.Failed() {
			t.Logf("broker %d log:\n%s", opts.BrokerID, b.Logs())
		}
	})
	b.Start()
	return b
}

func (b *Broker) properties() string {
	props := map[string]string{
		"broker.id":                    fmt.Sprint(b.Opts.BrokerID),
		"listeners":                    "PLAINTEXT://" + b.Addr,
		"log.dirs":                     filepath.Join(b.DataDir, "logs"),
		"zookeeper.connect":            b.Opts.Zookeeper,
		"zookeeper.session.timeout.ms": "6000",
	}
	for k, v := range b.Opts.Props {
		props[k] = v
	}
	keys := make([]string, 0, len(props))
	for k, v := range props {
		if v != "" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var sb strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&sb, "%s=%s\n", k, props[k])
	}
	return sb.String()
}

// Start (re)starts the process and waits until it serves.
func (b *Broker) Start() {
	b.t.Helper()
	b.mu.Lock()
	args := []string{"server", "--config", b.conf}
	if b.Opts.ConfigAsArgument {
		args = []string{"server", b.conf}
	}
	args = append(append(args, b.Opts.ServerArgs...), b.extraArgs...)
	cmd := exec.Command(Binary(b.t), args...)
	if b.logs == nil {
		b.logs = &bytes.Buffer{}
	}
	cmd.Stdout, cmd.Stderr = &lockedWriter{mu: &b.mu, w: b.logs}, &lockedWriter{mu: &b.mu, w: b.logs}
	if err := cmd.Start(); err != nil {
		b.mu.Unlock()
		b.t.Fatalf("start broker: %v", err)
	}
	b.cmd, b.done = cmd, make(chan error, 1)
	b.mu.Unlock()
	go func() { b.done <- cmd.Wait() }()
	b.WaitServing(30 * time.Second)
}

// WaitServing polls until the broker answers a metadata request naming
// itself among the live brokers: a controller has then sent it the
// cluster's metadata, so its topics are known (right after a restart a
// broker answers before that, with an empty cache, as Kafka's does).
func (b *Broker) WaitServing(timeout time.Duration) {
	b.t.Helper()
	Eventually(b.t, timeout, "broker serving at "+b.Addr, func() error {
		if b.Exited() {
			return fmt.Errorf("broker process exited")
		}
		cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(b.Addr), kgo.DialTimeout(time.Second)}, b.Opts.ClientOpts...)...)
		if err != nil {
			return err
		}
		defer cl.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		m, err := kadm.NewClient(cl).BrokerMetadata(ctx)
		if err != nil {
			return err
		}
		for _, br := range m.Brokers {
			if br.NodeID == b.Opts.BrokerID || b.Opts.BrokerID < 0 {
				return nil
			}
		}
		return fmt.Errorf("broker %d not yet in its own metadata (brokers %v)", b.Opts.BrokerID, m.Brokers)
	})
}

// Exited reports whether the process has ended.
func (b *Broker) Exited() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.cmd != nil && b.cmd.ProcessState != nil
}

// Stop sends SIGTERM and waits for a clean exit.
func (b *Broker) Stop() error { return b.signal(syscall.SIGTERM, 30*time.Second) }

// Kill sends SIGKILL: a crash.
func (b *Broker) Kill() { _ = b.signal(syscall.SIGKILL, 10*time.Second) }

func (b *Broker) signal(sig syscall.Signal, wait time.Duration) error {
	b.mu.Lock()
	cmd, done := b.cmd, b.done
	b.cmd = nil
	b.mu.Unlock()
	if cmd == nil {
		return nil
	}
	_ = cmd.Process.Signal(sig)
	select {
	case err := <-done:
		return err
	case <-time.After(wait):
		_ = cmd.Process.Kill()
		return fmt.Errorf("broker did not exit within %s after %s", wait, sig)
	}
}

// Logs returns what the process wrote to stdout and stderr.
func (b *Broker) Logs() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.logs == nil {
		return ""
	}
	return b.logs.String()
}

// Client returns a franz-go client for this broker, closed at cleanup.
func (b *Broker) Client(opts ...kgo.Opt) *kgo.Client {
	b.t.Helper()
	all := append(append([]kgo.Opt{kgo.SeedBrokers(b.Addr)}, b.Opts.ClientOpts...), opts...)
	cl, err := kgo.NewClient(all...)
	if err != nil {
		b.t.Fatal(err)
	}
	b.t.Cleanup(cl.Close)
	return cl
}

// Admin returns a kadm client for this broker.
func (b *Broker) Admin() *kadm.Client { return kadm.NewClient(b.Client()) }

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}

// StartLocalCluster runs `kq server --brokers n` (one process, the
// embedded metadata store) on n consecutive free ports and returns the
// process as a Broker whose Addr is the first broker's, and every address.
func StartLocalCluster(t testing.TB, n int, props map[string]string) (*Broker, []string) {
	t.Helper()
	base := FreePortRange(t, n)
	b := &Broker{t: t, DataDir: t.TempDir()}
	b.Opts = Options{BrokerID: -1, Props: props, Port: base, DataDir: b.DataDir}
	b.Addr = fmt.Sprintf("127.0.0.1:%d", base)
	b.conf = filepath.Join(b.DataDir, "server.properties")
	if err := os.WriteFile(b.conf, []byte(b.properties()), 0o644); err != nil {
		t.Fatal(err)
	}
	b.extraArgs = []string{"--brokers", fmt.Sprint(n)}
	b.Start()
	t.Cleanup(func() {
		b.Stop()
		if t.Failed() {
			t.Logf("local cluster log:\n%s", b.Logs())
		}
	})
	addrs := make([]string, n)
	for i := range addrs {
		addrs[i] = fmt.Sprintf("127.0.0.1:%d", base+i)
	}
	b.waitBrokers(n, 30*time.Second)
	return b, addrs
}

// waitBrokers polls until every broker serves and the first one's metadata
// lists n live brokers: the process answers on its first port before the
// others have registered, and a test creating a replicated topic (or asking
// another broker) at once would race them.
func (b *Broker) waitBrokers(n int, timeout time.Duration) {
	b.t.Helper()
	Eventually(b.t, timeout, fmt.Sprintf("%d brokers registered", n), func() error {
		if b.Exited() {
			return fmt.Errorf("broker process exited")
		}
		cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(b.Addr), kgo.DialTimeout(time.Second)}, b.Opts.ClientOpts...)...)
		if err != nil {
			return err
		}
		defer cl.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		resp, err := kmsg.NewPtrMetadataRequest().RequestWith(ctx, cl)
		if err != nil {
			return err
		}
		if len(resp.Brokers) < n {
			return fmt.Errorf("%d of %d brokers in metadata", len(resp.Brokers), n)
		}
		return nil
	})
}

// FreePortRange returns the first of n consecutive loopback ports that were
// all free a moment ago.
func FreePortRange(t testing.TB, n int) int {
	t.Helper()
	for range 50 {
		base := FreePort(t)
		ok := true
		for i := 1; i < n && ok; i++ {
			l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", base+i))
			if err != nil {
				ok = false
				break
			}
			l.Close()
		}
		if ok {
			return base
		}
	}
	t.Fatalf("no %d consecutive free ports", n)
	return 0
}

// Freeze stops the process with SIGSTOP (a long GC pause, a hung VM);
// Thaw resumes it.
func (b *Broker) Freeze() { b.sendSignal(syscall.SIGSTOP) }

// Thaw resumes a frozen process with SIGCONT.
func (b *Broker) Thaw() { b.sendSignal(syscall.SIGCONT) }

func (b *Broker) sendSignal(sig syscall.Signal) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cmd != nil {
		_ = b.cmd.Process.Signal(sig)
	}
}
