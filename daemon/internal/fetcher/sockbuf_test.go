package fetcher

import (
	"context"
	"net"
	"syscall"
	"testing"
)

// TestSocketDialerReceiveBuffer checks replica.socket.receive.buffer.bytes
// reaches the follower's socket: a positive size is set (Linux reports it
// doubled), -1 leaves the kernel's own.
func TestSocketDialerReceiveBuffer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	for _, tc := range []struct {
		name    string
		size    int
		want    int
		wantSet bool
	}{
		{"set", 40000, 80000, true},
		{"kernel default", -1, 80000, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conn, err := socketDialer(tc.size).DialContext(context.Background(), "tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			raw, err := conn.(*net.TCPConn).SyscallConn()
			if err != nil {
				t.Fatal(err)
			}
			var got int
			var sockErr error
			if err := raw.Control(func(fd uintptr) {
				got, sockErr = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF)
			}); err != nil || sockErr != nil {
				t.Fatal(err, sockErr)
			}
			if (got == tc.want) != tc.wantSet {
				t.Fatalf("SO_RCVBUF %d after asking %d; want set to %d: %v", got, tc.size, tc.want, tc.wantSet)
			}
		})
	}
}
