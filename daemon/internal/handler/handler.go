package handler

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/server"
)

// serveFunc answers one request. Most handlers are synchronous and return
// just a response; slow ones fill in a server.Response with Ready.
type serveFunc func(ctx context.Context, req *server.Request) (*server.Response, error)

type api struct {
	min, max int16
	serve    serveFunc
}

// Handler implements server.Handler for the broker.
type Handler struct {
	deps    Deps
	apis    map[int16]api
	log     *slog.Logger
	offsets offsetsTopic // creation of __consumer_offsets
	// sessions are the incremental fetch sessions (fetch_session.go).
	sessions *fetchSessionCache
}

// New returns a handler with every API this broker serves.
func New(d Deps) *Handler {
	if d.Controller == nil {
		d.Controller = noController{}
	}
	h := &Handler{deps: d, apis: map[int16]api{}, log: d.Logger, sessions: newFetchSessionCache()}
	h.registerAll()
	return h
}

func (h *Handler) register(key, min, max int16, fn serveFunc) {
	if _, dup := h.apis[key]; dup {
		panic(fmt.Sprintf("handler: API key %d registered twice", key))
	}
	h.apis[key] = api{min: min, max: max, serve: fn}
}

// plain adapts a synchronous handler to serveFunc.
func plain[Req kmsg.Request](fn func(ctx context.Context, req *server.Request, body Req) (kmsg.Response, error)) serveFunc {
	return func(ctx context.Context, req *server.Request) (*server.Response, error) {
		body, ok := req.Body.(Req)
		if !ok {
			return nil, fmt.Errorf("request body %T for key %d", req.Body, req.Key)
		}
		resp, err := fn(ctx, req, body)
		if err != nil {
			return nil, err
		}
		return &server.Response{Msg: resp}, nil
	}
}

// Versions implements server.Handler.
func (h *Handler) Versions(key int16) (min, max int16, ok bool) {
	a, ok := h.apis[key]
	return a.min, a.max, ok
}

// Handle implements server.Handler.
func (h *Handler) Handle(ctx context.Context, req *server.Request) (*server.Response, error) {
	a, ok := h.apis[req.Key]
	if !ok || req.Version < a.min || req.Version > a.max {
		return nil, fmt.Errorf("unsupported API key %d version %d", req.Key, req.Version)
	}
	if !h.quotasOn() {
		return a.serve(ctx, req)
	}
	start := time.Now()
	resp, err := a.serve(ctx, req)
	if err == nil {
		h.throttleRequest(req, start, resp)
	}
	return resp, err
}

// keys returns the registered API keys in order, for ApiVersions.
func (h *Handler) keys() []int16 {
	keys := make([]int16, 0, len(h.apis))
	for k := range h.apis {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}
