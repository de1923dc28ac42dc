package fetcher

import (
	"context"
	"crypto/tls"
	"fmt"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Client sends requests to one broker, from one goroutine at a time. The
// byte slices of a response (a fetch's records) may be reused by the
// client's next request of the same API: use them before sending another.
type Client interface {
	Request(ctx context.Context, req kmsg.Request) (kmsg.Response, error)
	Close()
}

// Dialer returns a client for a broker's inter-broker address.
type Dialer func(addr string) (Client, error)

// KgoDialer connects with franz-go's raw request path, the same Kafka
// protocol any client speaks, identified as this broker's fetcher; tlsCfg
// (nil: plaintext) and opts (SASL) carry the inter-broker listener's
// security, receiveBuffer is replica.socket.receive.buffer.bytes.
// DirectDialer is cheaper; this one serves the security DirectDialer does
// not speak (SASL).
func KgoDialer(brokerID int32, receiveBuffer int, tlsCfg *tls.Config, opts ...kgo.Opt) Dialer {
	return func(addr string) (Client, error) {
		all := append([]kgo.Opt{kgo.SeedBrokers(addr), kgo.ClientID(fmt.Sprintf("kq-replica-fetcher-%d", brokerID)),
			kgoDialOpt(receiveBuffer, tlsCfg)}, opts...)
		cl, err := kgo.NewClient(all...)
		if err != nil {
			return nil, fmt.Errorf("client for %s: %w", addr, err)
		}
		return kgoClient{cl}, nil
	}
}

type kgoClient struct{ cl *kgo.Client }

func (c kgoClient) Request(ctx context.Context, req kmsg.Request) (kmsg.Response, error) {
	seeds := c.cl.SeedBrokers()
	if len(seeds) == 0 {
		return nil, fmt.Errorf("no seed broker")
	}
	return seeds[0].Request(ctx, req)
}

func (c kgoClient) Close() { c.cl.Close() }
