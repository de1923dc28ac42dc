package admin

import (
	"context"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Client runs admin operations against one cluster. It connects lazily: the
// first operation dials the seed brokers. Safe for concurrent use.
type Client struct {
	kgo     *kgo.Client
	kadm    *kadm.Client
	timeout time.Duration
}

// NewClient builds a Client; it does not contact the cluster.
func NewClient(cfg ClientConfig) (*Client, error) {
	if len(cfg.Brokers) == 0 {
		return nil, fmt.Errorf("new admin client: no bootstrap servers given")
	}
	cl, err := kgo.NewClient(cfg.kgoOpts()...)
	if err != nil {
		return nil, fmt.Errorf("new admin client: %w", err)
	}
	adm := kadm.NewClient(cl)
	adm.SetTimeoutMillis(int32(cfg.requestTimeout().Milliseconds()))
	return &Client{kgo: cl, kadm: adm, timeout: cfg.requestTimeout()}, nil
}

// Close closes the connections.
func (c *Client) Close() { c.kgo.Close() }

// timeoutMillis is the server-side timeout put in requests that carry one.
func (c *Client) timeoutMillis() int32 { return int32(c.timeout.Milliseconds()) }

// request sends req, bounded by the client's request timeout, and returns
// the response or the transport error.
func (c *Client) request(ctx context.Context, req kmsg.Request) (kmsg.Response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	return c.kgo.Request(ctx, req)
}
