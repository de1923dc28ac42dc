package kafkazk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"

	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/znode"
)

// Client is the typed Kafka view of one metadata-store session.
type Client struct {
	store meta.Store
	log   *slog.Logger
	// epochVersion is the znode version of /controller_epoch written when
	// this session won the election, -1 otherwise. Controller writes check
	// it in the same multi-op, so a deposed controller cannot write.
	epochVersion atomic.Int32
}

// New returns a client over a session.
func New(store meta.Store, log *slog.Logger) *Client {
	c := &Client{store: store, log: log}
	c.epochVersion.Store(-1)
	return c
}

// fenced applies op guarded by a check that /controller_epoch is still the
// version this client wrote as controller (Kafka's controller does the
// same); outside controllership it applies op alone.
func (c *Client) fenced(ctx context.Context, op meta.Op) (meta.OpResult, error) {
	ops := []meta.Op{op}
	if v := c.epochVersion.Load(); v >= 0 {
		ops = []meta.Op{meta.CheckOp{Path: controllerEpochPath, Version: v}, op}
	}
	res, err := c.store.Multi(ctx, ops...)
	if err != nil {
		return meta.OpResult{}, err
	}
	return res[len(res)-1], nil
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
