package zktest

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Ensemble is a replicated ZooKeeper: n servers (QuorumPeerMain) on
// loopback ports, each with its own data directory and myid, serving once
// a majority of them runs.
type Ensemble struct {
	Servers []*Server
}

// peer is a server's place in an ensemble.
type peer struct {
	id                       int // myid, 1-based
	quorumPort, electionPort int
	members                  []*Server // every member, this one included
}

// Quorum timing in ticks of TickTime: a follower has initLimit ticks to
// catch up with a new leader (a JVM that has just started is slow) and is
// dropped when syncLimit ticks pass without hearing from it, so a dead
// leader is noticed within 2 s.
const (
	initLimit = 50
	syncLimit = 10
)

// StartEnsemble runs n servers for t alone and kills them when t ends.
func StartEnsemble(t testing.TB, n int) *Ensemble {
	t.Helper()
	inst, err := findInstallation()
	if err != nil {
		skipOrFail(t, fmt.Errorf("%w: %v", errNotInstalled, err))
	}
	var e *Ensemble
	for range 3 { // a free port we picked may be taken before Java binds it
		if e, err = startEnsemble(t.TempDir(), inst, n); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, s := range e.Servers {
			if t.Failed() {
				t.Log(s.logTail())
			}
			s.Stop()
		}
	})
	return e
}

func startEnsemble(dir string, inst installation, n int) (*Ensemble, error) {
	e := &Ensemble{}
	for i := range n {
		s := &Server{inst: inst, dir: filepath.Join(dir, fmt.Sprint(i+1)), sessions: map[int64]*clientSession{}}
		s.peer = &peer{id: i + 1}
		for _, port := range []*int{&s.port, &s.peer.quorumPort, &s.peer.electionPort} {
			var err error
			if *port, err = freePort(); err != nil {
				return nil, err
			}
		}
		e.Servers = append(e.Servers, s)
	}
	exited := make([]<-chan struct{}, n)
	for i, s := range e.Servers {
		s.peer.members = e.Servers
		var err error
		if exited[i], err = s.spawn(); err != nil {
			e.stop()
			return nil, err
		}
	}
	for i, s := range e.Servers {
		if err := s.waitServing(exited[i]); err != nil {
			e.stop()
			return nil, fmt.Errorf("ensemble member %d: %w", i+1, err)
		}
	}
	return e, nil
}

func (e *Ensemble) stop() {
	for _, s := range e.Servers {
		s.Stop()
	}
}

// ConnectString is a zookeeper.connect value naming every member, with a
// chroot ("" or "/" for none).
func (e *Ensemble) ConnectString(chroot string) string {
	if chroot == "/" {
		chroot = ""
	}
	addrs := make([]string, len(e.Servers))
	for i, s := range e.Servers {
		addrs[i] = s.Addr()
	}
	return strings.Join(addrs, ",") + chroot
}

// Mode is what srvr says a running member is: "leader", "follower", or ""
// when it does not serve (stopped, or without a quorum).
func (s *Server) Mode() string {
	out, err := s.FourLetter("srvr")
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(out, "\n") {
		if mode, ok := strings.CutPrefix(line, "Mode: "); ok {
			return strings.TrimSpace(mode)
		}
	}
	return ""
}

// Leader returns the index in Servers of the member that leads, or an
// error naming every member's mode when none or several do.
func (e *Ensemble) Leader() (int, error) {
	leader := -1
	modes := make([]string, len(e.Servers))
	for i, s := range e.Servers {
		modes[i] = s.Mode()
		if modes[i] != "leader" {
			continue
		}
		if leader >= 0 {
			return -1, fmt.Errorf("two leaders: modes %q", modes)
		}
		leader = i
	}
	if leader < 0 {
		return -1, fmt.Errorf("no leader: modes %q", modes)
	}
	return leader, nil
}

// WaitQuorum polls until every running member serves and one of them
// leads, and returns the leader's index.
func (e *Ensemble) WaitQuorum(timeout time.Duration) (int, error) {
	deadline := time.Now().Add(timeout)
	for {
		leader, err := e.Leader()
		if err == nil {
			err = e.allRunningServe()
		}
		if err == nil {
			return leader, nil
		}
		if time.Now().After(deadline) {
			return -1, fmt.Errorf("no quorum after %v: %w", timeout, err)
		}
		time.Sleep(50 * time.Millisecond) // polling a condition
	}
}

func (e *Ensemble) allRunningServe() error {
	for i, s := range e.Servers {
		if s.running() && s.Mode() == "" {
			return fmt.Errorf("member %d runs but does not serve", i+1)
		}
	}
	return nil
}

func (s *Server) running() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cmd != nil
}

func (s *Server) mainClass() string {
	if s.peer != nil {
		return "org.apache.zookeeper.server.quorum.QuorumPeerMain"
	}
	return "org.apache.zookeeper.server.ZooKeeperServerMain"
}

// peerConfig is the ensemble's part of zoo.cfg: the quorum timing and a
// server.N line per member (static membership, no dynamic reconfig).
func (s *Server) peerConfig() string {
	if s.peer == nil {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "initLimit=%d\nsyncLimit=%d\n", initLimit, syncLimit)
	for _, m := range s.peer.members {
		fmt.Fprintf(&b, "server.%d=127.0.0.1:%d:%d\n", m.peer.id, m.peer.quorumPort, m.peer.electionPort)
	}
	return b.String()
}

// writePeerFiles writes the myid file a member finds its server.N line by.
func (s *Server) writePeerFiles() error {
	if s.peer == nil {
		return nil
	}
	data := filepath.Join(s.dir, "data")
	if err := os.MkdirAll(data, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", data, err)
	}
	if err := os.WriteFile(filepath.Join(data, "myid"), []byte(strconv.Itoa(s.peer.id)+"\n"), 0o644); err != nil {
		return fmt.Errorf("write myid: %w", err)
	}
	return nil
}

// Sessions counts the client sessions connected to a running member (its
// cons lines carrying a session id); 0 when it does not answer.
func (s *Server) Sessions() int {
	out, err := s.FourLetter("cons")
	if err != nil {
		return 0
	}
	return strings.Count(out, "sid=0x")
}
