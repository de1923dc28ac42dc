package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"sync"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/daemon/internal/server"
)

// sender delivers the controller's requests: to this broker by calling its
// handler directly, to the others over the inter-broker listener with
// franz-go's raw request path (the same Kafka protocol any client speaks).
type sender struct {
	self     int32
	listener string
	clientID string
	opts     []kgo.Opt // the inter-broker listener's security
	local    server.Handler
	log      *slog.Logger

	mu      sync.Mutex
	remotes map[int32]*remote
}

type remote struct {
	addr   string
	client *kgo.Client
}

func newSender(self int32, listener, clientID string, opts []kgo.Opt, local server.Handler, log *slog.Logger) *sender {
	return &sender{self: self, listener: listener, clientID: clientID, opts: opts, local: local, log: log, remotes: map[int32]*remote{}}
}

// Send implements controller.Sender.
func (s *sender) Send(ctx context.Context, broker int32, req kmsg.Request) (kmsg.Response, error) {
	if broker == s.self {
		return s.sendLocal(ctx, req)
	}
	s.mu.Lock()
	r, ok := s.remotes[broker]
	s.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("broker %d has no %s endpoint", broker, s.listener)
	}
	seeds := r.client.SeedBrokers()
	if len(seeds) == 0 {
		return nil, fmt.Errorf("no connection to broker %d", broker)
	}
	return seeds[0].Request(ctx, req)
}

func (s *sender) sendLocal(ctx context.Context, req kmsg.Request) (kmsg.Response, error) {
	resp, err := s.local.Handle(ctx, &server.Request{
		Key: req.Key(), Version: req.GetVersion(), Body: req, Conn: server.ConnInfo{Listener: s.listener},
	})
	if err != nil {
		return nil, err
	}
	if resp.Ready != nil {
		select {
		case <-resp.Ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return resp.Msg, nil
}

// BrokersChanged implements controller.Sender: it keeps one client per
// remote live broker, replaced when the broker's endpoint changes.
func (s *sender) BrokersChanged(live map[int32]metadatacache.Broker) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, r := range s.remotes {
		b, ok := live[id]
		if ep, has := b.Endpoint(s.listener); !ok || !has || joinHostPort(ep) != r.addr {
			r.client.Close()
			delete(s.remotes, id)
		}
	}
	for id, b := range live {
		if _, ok := s.remotes[id]; ok || id == s.self {
			continue
		}
		ep, ok := b.Endpoint(s.listener)
		if !ok {
			s.log.Warn("live broker has no inter-broker endpoint", "broker", id, "listener", s.listener)
			continue
		}
		addr := joinHostPort(ep)
		cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(addr), kgo.ClientID(s.clientID)}, s.opts...)...)
		if err != nil {
			s.log.Warn("connect to broker", "broker", id, "addr", addr, "err", err)
			continue
		}
		s.remotes[id] = &remote{addr: addr, client: cl}
	}
}

func (s *sender) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, r := range s.remotes {
		r.client.Close()
		delete(s.remotes, id)
	}
}

func joinHostPort(ep metadatacache.Endpoint) string {
	return net.JoinHostPort(ep.Host, strconv.Itoa(int(ep.Port)))
}

// followBrokers keeps the remotes equal to the live brokers of this
// broker's metadata cache until ctx ends (the coordinators' sender: unlike
// the controller's, it is not fed by a controller).
func (s *sender) followBrokers(ctx context.Context, cache *metadatacache.Cache) {
	for {
		changed := cache.Changed()
		s.BrokersChanged(cache.Load().Brokers)
		select {
		case <-ctx.Done():
			return
		case <-changed:
		}
	}
}
