package handler

import (
	"context"
	"net"
	"sync"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/server"
)

// parked is a response the group coordinator completes later (a parked
// JoinGroup, a SyncGroup or OffsetCommit waiting for its write): complete
// may be called from any goroutine, even before parked returns; calls
// after the first are ignored. When the connection's context ends first
// the response is abandoned (it will not be written), as Kafka drops the
// answers of closed connections.
func parked(ctx context.Context) (out *server.Response, complete func(kmsg.Response)) {
	ready := make(chan struct{})
	out = &server.Response{Ready: ready}
	var once sync.Once
	complete = func(msg kmsg.Response) {
		once.Do(func() {
			out.Msg = msg
			close(ready)
		})
	}
	go func() {
		select {
		case <-ready:
		case <-ctx.Done():
			complete(nil)
		}
	}()
	return out, complete
}

// clientHost is the member's host as Kafka reports it: the remote
// address's IP with a leading slash (Java's InetAddress.toString).
func clientHost(req *server.Request) string {
	if req.Conn.Remote == nil {
		return ""
	}
	host, _, err := net.SplitHostPort(req.Conn.Remote.String())
	if err != nil {
		host = req.Conn.Remote.String()
	}
	return "/" + host
}
