package fetcher

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"syscall"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// socketDialer dials leaders with replica.socket.receive.buffer.bytes as
// the connection's SO_RCVBUF when it is positive; zero or negative (-1)
// leaves the size to the kernel, whose autotuning grows the buffer with
// the connection's bandwidth. The size is set before connecting, so the
// window scale offered in the SYN matches it.
func socketDialer(receiveBuffer int) *net.Dialer {
	d := &net.Dialer{}
	if receiveBuffer > 0 {
		d.Control = func(_, _ string, rc syscall.RawConn) error {
			var sockErr error
			if err := rc.Control(func(fd uintptr) {
				sockErr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, receiveBuffer)
			}); err != nil {
				return err
			}
			if sockErr != nil {
				return fmt.Errorf("set SO_RCVBUF %d: %w", receiveBuffer, sockErr)
			}
			return nil
		}
	}
	return d
}

// kgoDialTimeout is kgo's own dial timeout, which a kgo.Dialer replaces.
const kgoDialTimeout = 10 * time.Second

// kgoDialOpt is the kgo dial of a SASL fetcher: socketDialer's sockets,
// wrapped in TLS when tlsCfg is set (tls.Dialer takes the server name from
// the address when tlsCfg names none, as kgo.DialTLSConfig does).
func kgoDialOpt(receiveBuffer int, tlsCfg *tls.Config) kgo.Opt {
	nd := socketDialer(receiveBuffer)
	nd.Timeout = kgoDialTimeout
	if tlsCfg == nil {
		return kgo.Dialer(nd.DialContext)
	}
	td := &tls.Dialer{NetDialer: nd, Config: tlsCfg}
	return kgo.Dialer(func(ctx context.Context, network, addr string) (net.Conn, error) {
		return td.DialContext(ctx, network, addr)
	})
}
