package zkstore

import (
	"encoding/binary"
	"io"
	"net"
	"testing"
	"time"
)

// The handshake ends exactly after the first frame, however the reads
// split it (go-zookeeper reads the 4-byte length, then the body).
func TestHandshakeConnCountsFirstFrame(t *testing.T) {
	frame := binary.BigEndian.AppendUint32(nil, 36)
	frame = append(frame, make([]byte, 36)...)
	next := []byte("next frame")
	for _, chunks := range [][]int{{4, 36}, {1, 3, 36}, {40}, {2, 2, 1, 35}, {4, 10, 26}} {
		client, server := net.Pipe()
		go func() {
			server.Write(append(append([]byte(nil), frame...), next...))
			server.Close()
		}()
		c := &handshakeConn{Conn: client}
		read := 0
		for i, n := range chunks {
			if c.done.Load() {
				t.Fatalf("chunks %v: done after %d bytes", chunks, read)
			}
			if _, err := io.ReadFull(c, make([]byte, n)); err != nil {
				t.Fatalf("chunks %v, read %d: %v", chunks, i, err)
			}
			read += n
		}
		if !c.done.Load() {
			t.Fatalf("chunks %v: not done after the frame", chunks)
		}
		client.Close()
	}
}

// Until the handshake is done go-zookeeper's deadlines are ignored, so the
// dial-time bound holds; afterwards they apply.
func TestHandshakeConnHoldsDeadline(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		c, err := l.Accept()
		if err == nil {
			defer c.Close()
			io.Copy(io.Discard, c) // silent
		}
	}()
	dial := boundHandshake(net.DialTimeout, 200*time.Millisecond)
	c, err := dial("tcp", l.Addr().String(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(time.Hour)) // what go-zookeeper asks for
	start := time.Now()
	_, err = c.Read(make([]byte, 4))
	if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
		t.Fatalf("read from a silent server: %v, want a timeout", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("bounded handshake read took %s", took)
	}
}
