package handler

import (
	"context"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/daemon/internal/server"
)

// later computes a response off the connection's request path: the server
// keeps reading (and answering in order) while fn waits.
func later(fn func() kmsg.Response) *server.Response {
	ready := make(chan struct{})
	out := &server.Response{Ready: ready}
	go func() {
		defer close(ready)
		out.Msg = fn()
	}()
	return out
}

// awaitTopics answers a topic admin request: at once when nothing is
// pending or the request gave no timeout; otherwise off the request path,
// once done(snapshot, i) holds for every pending topic index i, marking
// those still not done after the timeout with timedOut(i).
func (h *Handler) awaitTopics(ctx context.Context, resp kmsg.Response, timeoutMs int32, pending []int,
	done func(s *metadatacache.Snapshot, i int) bool, timedOut func(i int)) *server.Response {
	if len(pending) == 0 || timeoutMs <= 0 {
		return &server.Response{Msg: resp}
	}
	return later(func() kmsg.Response {
		all := func(s *metadatacache.Snapshot) bool {
			for _, i := range pending {
				if !done(s, i) {
					return false
				}
			}
			return true
		}
		if !h.waitMetadata(ctx, time.Duration(timeoutMs)*time.Millisecond, all) {
			snap := h.deps.Cache.Load()
			for _, i := range pending {
				if !done(snap, i) {
					timedOut(i)
				}
			}
		}
		return resp
	})
}

// waitMetadata blocks until done holds for the metadata cache or the timeout
// passes, as Kafka's delayed topic operations wait for the controller's
// UpdateMetadata. It reports whether done was reached.
func (h *Handler) waitMetadata(ctx context.Context, timeout time.Duration, done func(*metadatacache.Snapshot) bool) bool {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		changed := h.deps.Cache.Changed()
		if done(h.deps.Cache.Load()) {
			return true
		}
		select {
		case <-changed:
		case <-timer.C:
			return done(h.deps.Cache.Load())
		case <-ctx.Done():
			return false
		}
	}
}

// topicReady reports whether the cache shows the topic with n partitions,
// each with a leader.
func topicReady(name string, n int32) func(*metadatacache.Snapshot) bool {
	return func(s *metadatacache.Snapshot) bool {
		t, ok := s.Topic(name)
		if !ok || int32(len(t.Partitions)) < n {
			return false
		}
		for _, p := range t.Partitions {
			if p.Leader < 0 {
				return false
			}
		}
		return true
	}
}

// topicGone reports whether the cache no longer shows the topic.
func topicGone(name string) func(*metadatacache.Snapshot) bool {
	return func(s *metadatacache.Snapshot) bool {
		_, ok := s.Topic(name)
		return !ok
	}
}
