package harness

import (
	"net"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestPairLinksSeparateProcesses: the link from this process is cut while
// another process (a shell) still reaches the same server through the
// same address on a link of its own.
func TestPairLinksSeparateProcesses(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("telling processes apart reads /proc")
	}
	l := StartPairLinks(t, echoServer(t))
	c, err := net.Dial("tcp", l.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got, err := roundTrip(c, "mine", 5*time.Second); got != "mine" || err != nil {
		t.Fatalf("own link: %q %v", got, err)
	}
	l.From(os.Getpid()).Cut()
	if got, err := roundTrip(c, "gone", 5*time.Second); err == nil {
		t.Fatalf("own link cut, yet answered %q", got)
	}

	_, port, _ := net.SplitHostPort(l.Addr())
	sh := exec.Command("bash", "-c", `exec 3<>/dev/tcp/127.0.0.1/`+port+` && printf ping >&3 && head -c 4 <&3`)
	out, err := sh.Output()
	if err != nil || strings.TrimSpace(string(out)) != "ping" {
		t.Fatalf("another process through the same address: %q %v", out, err)
	}
	l.mu.Lock()
	_, ownLink := l.byPid[sh.Process.Pid]
	l.mu.Unlock()
	if !ownLink {
		t.Errorf("the shell (pid %d) did not get a link of its own", sh.Process.Pid)
	}
}
