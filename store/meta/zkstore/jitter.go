package zkstore

import (
	"math/rand/v2"
	"net"
	"sync/atomic"
	"time"
)

// reconnectJitterMax bounds the pause before a reconnect, as Java's
// ZooKeeper client (ClientCnxn) pauses a random part of a second.
const reconnectJitterMax = time.Second

// reconnectJitter pauses a random time below max before every dial but the
// first. go-zookeeper retries a lone server exactly once a second, so a
// link failing on a one-second cycle (a flapping switch port) caught every
// retry in its failing half until the session expired; and the brokers of
// a cluster that lost ZooKeeper together would all retry in the same
// instant. sleep is time.Sleep outside tests.
func reconnectJitter(dial Dialer, max time.Duration, sleep func(time.Duration)) Dialer {
	var dialed atomic.Bool
	return func(network, address string, timeout time.Duration) (net.Conn, error) {
		if dialed.Swap(true) {
			sleep(rand.N(max))
		}
		return dial(network, address, timeout)
	}
}
