package harness

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"testing"
)

// FreePort returns a loopback port that was free a moment ago, for a
// broker to listen on once started. It is chosen below the kernel's
// ephemeral range (net.ipv4.ip_local_port_range): a port from that range
// can become the source port of any process's outgoing connection between
// this check and the broker's bind, and a broker that cannot bind exits
// (seen once in CI, with test packages connecting in parallel). Outgoing
// connections never take a port below the range, so only another
// test's listener can, which the random choice makes unlikely.
func FreePort(t testing.TB) int {
	t.Helper()
	low := ephemeralLow()
	const floor = 10000
	for range 100 {
		if low-floor < 1000 {
			break
		}
		port := floor + rand.IntN(low-floor)
		if l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			l.Close()
			return port
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0") // no room below the range: the kernel's choice
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// ephemeralLow is the first port of the kernel's ephemeral range, Linux's
// default 32768 when it cannot be read.
func ephemeralLow() int {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return 32768
	}
	var low, high int
	if _, err := fmt.Sscan(string(b), &low, &high); err != nil || low <= 0 {
		return 32768
	}
	return low
}
