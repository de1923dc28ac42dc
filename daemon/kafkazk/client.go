package kafkazk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/znode"
)

// Client is the typed Kafka view of one metadata-store session.
type Client struct {
	store meta.Store
	log   *slog.Logger
}

// New returns a client over a session.
func New(store meta.Store, log *slog.Logger) *Client {
	return &Client{store: store, log: log}
}

// Store returns the underlying session.
func (c *Client) Store() meta.Store { return c.store }

// EnsurePaths creates Kafka's persistent top-level znodes.
func (c *Client) EnsurePaths(ctx context.Context) error {
	for _, p := range znode.PersistentPaths() {
		if err := meta.EnsurePath(ctx, c.store, p); err != nil {
			return fmt.Errorf("create %s: %w", p, err)
		}
	}
	return nil
}

// fired turns a watch into a channel closed when it fires.
func fired(ch <-chan meta.Event) <-chan struct{} {
	out := make(chan struct{})
	go func() {
		<-ch
		close(out)
	}()
	return out
}

func isNoNode(err error) bool     { return errors.Is(err, meta.ErrNoNode) }
func isExists(err error) bool     { return errors.Is(err, meta.ErrNodeExists) }
func isBadVersion(err error) bool { return errors.Is(err, meta.ErrBadVersion) }
