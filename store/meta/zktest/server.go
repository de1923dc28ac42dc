package zktest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// StartTimeout bounds how long a server may take to serve after starting.
// A JVM starts in about a second on an idle machine; loaded CI is slower.
const StartTimeout = 60 * time.Second

// TickTime is the server's tick: sessions may time out between 2 and
// 60000/TickTime ticks, and expiry is noticed within a tick.
const TickTime = 200 * time.Millisecond

// Server is a ZooKeeper server running as a child process.
type Server struct {
	inst installation
	dir  string
	port int
	// securePort serves TLS when tls is set (StartTLS).
	securePort int
	tls        *TLSFiles
	// peer makes the server one member of an ensemble (StartEnsemble).
	peer *peer

	mu       sync.Mutex
	cmd      *exec.Cmd
	exited   chan struct{}
	sessions map[int64]*clientSession

	chroots atomic.Int64
}

// Start runs a server for t alone and kills it when t ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s, err := start(t.TempDir())
	if errors.Is(err, errNotInstalled) {
		skipOrFail(t, err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(s.logTail())
		}
		s.Stop()
	})
	return s
}

var errNotInstalled = errors.New("not installed")

func start(dir string) (*Server, error) { return startWith(dir, nil) }

func startWith(dir string, tlsFiles *TLSFiles) (*Server, error) {
	inst, err := findInstallation()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errNotInstalled, err)
	}
	if tlsFiles != nil {
		inst.classpath += nettyClasspath()
	}
	var lastErr error
	for range 3 { // the free port we picked may be taken before Java binds it
		s := &Server{inst: inst, dir: dir, sessions: map[int64]*clientSession{}, tls: tlsFiles}
		if s.port, err = freePort(); err != nil {
			return nil, err
		}
		if tlsFiles != nil {
			if s.securePort, err = freePort(); err != nil {
				return nil, err
			}
		}
		if lastErr = s.launch(); lastErr == nil {
			return s, nil
		}
	}
	return nil, lastErr
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (s *Server) config() string {
	return fmt.Sprintf(`tickTime=%d
dataDir=%s
clientPort=%d
clientPortAddress=127.0.0.1
maxSessionTimeout=60000
maxClientCnxns=0
admin.enableServer=false
4lw.commands.whitelist=ruok,srvr,stat,dump,mntr,cons
forceSync=no
`, TickTime.Milliseconds(), filepath.Join(s.dir, "data"), s.port) + s.tlsConfig() + s.peerConfig()
}

// launch starts java and waits until the server serves requests.
func (s *Server) launch() error {
	exited, err := s.spawn()
	if err != nil {
		return err
	}
	if err := s.waitServing(exited); err != nil {
		s.Stop()
		return err
	}
	return nil
}

// spawn writes the configuration and starts java without waiting for it
// to serve: the members of an ensemble serve only once a quorum of them
// runs, so they are all spawned before any is waited for.
func (s *Server) spawn() (exited <-chan struct{}, err error) {
	if err := s.writePeerFiles(); err != nil {
		return nil, err
	}
	cfg := filepath.Join(s.dir, "zoo.cfg")
	if err := os.WriteFile(cfg, []byte(s.config()), 0o644); err != nil {
		return nil, fmt.Errorf("write zoo.cfg: %w", err)
	}
	logFile, err := os.OpenFile(s.logPath(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open zookeeper log: %w", err)
	}
	defer logFile.Close() // the child keeps its own descriptor
	cmd := exec.Command(s.inst.java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
		"-Dzookeeper.admin.enableServer=false", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
		"-cp", s.inst.classpath, s.mainClass(), cfg)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = childAttrs()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start zookeeper: %w", err)
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait() // how it ended shows in the log; Stop kills it anyway
		close(done)
	}()
	s.mu.Lock()
	s.cmd, s.exited = cmd, done
	s.mu.Unlock()
	return done, nil
}

func (s *Server) logPath() string { return filepath.Join(s.dir, "zookeeper.log") }

// waitServing polls the srvr command until the server reports its mode.
func (s *Server) waitServing(exited <-chan struct{}) error {
	deadline := time.Now().Add(StartTimeout)
	for time.Now().Before(deadline) {
		out, err := s.FourLetter("srvr")
		if err == nil && bytes.Contains([]byte(out), []byte("Mode: ")) {
			return nil
		}
		select {
		case <-exited:
			return fmt.Errorf("zookeeper exited during startup: %s", s.logTail())
		case <-time.After(50 * time.Millisecond):
		}
	}
	return fmt.Errorf("zookeeper not serving on %s after %s: %s", s.Addr(), StartTimeout, s.logTail())
}

func (s *Server) logTail() string {
	b, _ := os.ReadFile(s.logPath())
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return fmt.Sprintf("log %s ends:\n%s", s.logPath(), b)
}

// Addr is the client address, host:port.
func (s *Server) Addr() string { return "127.0.0.1:" + strconv.Itoa(s.port) }

// ConnectString is a zookeeper.connect value for this server and chroot
// ("" or "/" for none).
func (s *Server) ConnectString(chroot string) string {
	if chroot == "/" {
		chroot = ""
	}
	return s.Addr() + chroot
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// Chroot returns a chroot path no other test of this server uses, named
// after t for whoever inspects the server.
func (s *Server) Chroot(t testing.TB) string {
	return fmt.Sprintf("/kqtest/%s-%d", unsafeChars.ReplaceAllString(t.Name(), "_"), s.chroots.Add(1))
}

// Stop kills the server (as a crash would) and waits for it to exit.
func (s *Server) Stop() {
	s.mu.Lock()
	cmd, exited := s.cmd, s.exited
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Kill() // an error means it already exited
	<-exited
}

// Restart stops the server if running and starts it again on the same
// port and data directory; sessions that reconnect within their timeout
// survive, as with a real ZooKeeper restart.
func (s *Server) Restart() error {
	s.Stop()
	return s.launch()
}

// FourLetter sends a four-letter-word command (srvr, stat, dump, mntr,
// cons, ruok) and returns the answer.
func (s *Server) FourLetter(cmd string) (string, error) {
	conn, err := net.DialTimeout("tcp", s.Addr(), time.Second)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(conn, cmd); err != nil {
		return "", err
	}
	out, err := io.ReadAll(conn)
	return string(out), err
}
