package controller

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/metadatacache"
)

// channels keeps one ordered queue of controller requests per live broker
// and a goroutine draining it, so a slow broker never stalls the event loop
// or the other brokers (Kafka's ControllerChannelManager).
type channels struct {
	sender Sender
	log    *slog.Logger
	// answered, when set, sees every request a broker answered, with its
	// response, on that broker's queue goroutine; ctx ends with the queue.
	answered func(ctx context.Context, broker int32, req kmsg.Request, resp kmsg.Response)
	mu       sync.Mutex
	queues   map[int32]*queue
}

type queue struct {
	mu      sync.Mutex
	pending []kmsg.Request
	wake    chan struct{}
	cancel  context.CancelFunc
	done    chan struct{}
}

func newChannels(s Sender, log *slog.Logger, answered func(context.Context, int32, kmsg.Request, kmsg.Response)) *channels {
	return &channels{sender: s, log: log, answered: answered, queues: map[int32]*queue{}}
}

// update opens queues for new live brokers and closes those of gone ones.
func (c *channels) update(live map[int32]metadatacache.Broker) {
	c.sender.BrokersChanged(live)
	c.mu.Lock()
	defer c.mu.Unlock()
	keep := map[int32]bool{}
	for id := range live {
		keep[id] = true
		if _, ok := c.queues[id]; !ok {
			c.queues[id] = c.start(id)
		}
	}
	for id, q := range c.queues {
		if !keep[id] {
			q.stop()
			delete(c.queues, id)
		}
	}
}

func (c *channels) enqueue(broker int32, req kmsg.Request) {
	c.mu.Lock()
	q, ok := c.queues[broker]
	c.mu.Unlock()
	if !ok {
		return
	}
	q.mu.Lock()
	q.pending = append(q.pending, req)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (c *channels) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, q := range c.queues {
		q.stop()
		delete(c.queues, id)
	}
}

func (c *channels) start(broker int32) *queue {
	ctx, cancel := context.WithCancel(context.Background())
	q := &queue{wake: make(chan struct{}, 1), cancel: cancel, done: make(chan struct{})}
	go c.drain(ctx, broker, q)
	return q
}

func (q *queue) stop() {
	q.cancel()
	<-q.done
}

// drain sends queued requests in order, retrying a failed one until it
// succeeds or the broker leaves (its queue is stopped).
func (c *channels) drain(ctx context.Context, broker int32, q *queue) {
	defer close(q.done)
	for {
		req, ok := q.next()
		if !ok {
			select {
			case <-q.wake:
				continue
			case <-ctx.Done():
				return
			}
		}
		for attempt := 0; ; attempt++ {
			resp, err := c.sender.Send(ctx, broker, req)
			if err == nil {
				if c.answered != nil {
					c.answered(ctx, broker, req, resp)
				}
				break
			}
			if ctx.Err() != nil {
				return
			}
			c.log.Warn("controller request failed; retrying", "broker", broker, "request", kmsg.NameForKey(req.Key()), "err", err)
			if !sleep(ctx, min(time.Duration(attempt+1)*100*time.Millisecond, 2*time.Second)) {
				return
			}
		}
		q.pop()
	}
}

func (q *queue) next() (kmsg.Request, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.pending) == 0 {
		return nil, false
	}
	return q.pending[0], true
}

func (q *queue) pop() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.pending = q.pending[1:]
}
