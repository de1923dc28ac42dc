package handler

import (
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/quota"
	"github.com/kqhq/kq/daemon/internal/server"
)

// Client quotas (daemon/internal/quota): Produce counts its request size
// against producer_byte_rate, a consumer's Fetch the record bytes it
// answers against consumer_byte_rate, and every request that Kafka does
// not exempt its handling time against request_percentage. A throttle
// goes into server.Response.Throttle: the server writes it as
// throttle_time_ms and mutes the connection that long (KIP-219).

// quotaExempt are the APIs Kafka leaves out of the request quota: the
// inter-broker ones a cluster needs to stay healthy and the handshakes.
var quotaExempt = map[int16]bool{
	4: true, 5: true, 6: true, 7: true, // LeaderAndIsr, StopReplica, UpdateMetadata, ControlledShutdown
	17: true, 18: true, 36: true, // SaslHandshake, ApiVersions, SaslAuthenticate
	27: true, 56: true, // WriteTxnMarkers, AlterPartition
}

// quotasOn says whether any client quota is configured, so requests skip
// the bookkeeping when none is.
func (h *Handler) quotasOn() bool {
	return h.deps.Quotas != nil && h.deps.Quotas.Enabled()
}

// throttleProduce counts a produce request's bytes, as Kafka counts the
// whole request, acks=0 included (that connection is still muted).
func (h *Handler) throttleProduce(req *server.Request, resp *server.Response) {
	if resp == nil || !h.quotasOn() {
		return
	}
	d := h.deps.Quotas.Record(quota.Produce, req.Conn.Principal, req.ClientID, float64(req.Size))
	resp.Throttle = max(resp.Throttle, d)
}

// throttleFetch counts a consumer fetch's record bytes. Kafka answers a
// throttled fetch with no records and takes the bytes back; kq sends the
// records it read (the fetch session already moved on to them) and mutes
// the connection for the longer throttle their bytes earn.
func (p fetchPlan) throttleFetch(r fetchRead, out *server.Response) {
	if p.replicaID >= 0 || !p.h.quotasOn() {
		return
	}
	d := p.h.deps.Quotas.Record(quota.Fetch, p.principal, p.clientID, float64(r.bytes))
	out.Throttle = max(out.Throttle, d)
}

// throttleRequest counts the time Handle took against the request quota.
// A pending response gets the throttle once it is ready, so its Msg and
// Throttle are still written by one goroutine at a time.
func (h *Handler) throttleRequest(req *server.Request, start time.Time, resp *server.Response) {
	if resp == nil || quotaExempt[req.Key] || isFollowerFetch(req) {
		return
	}
	percent := time.Since(start).Seconds() * 100 // of one thread's second
	d := h.deps.Quotas.Record(quota.Request, req.Conn.Principal, req.ClientID, percent)
	if d <= 0 {
		return
	}
	if resp.Ready == nil {
		resp.Throttle = max(resp.Throttle, d)
		return
	}
	inner, ready := resp.Ready, make(chan struct{})
	resp.Ready = ready
	go func() {
		<-inner
		resp.Throttle = max(resp.Throttle, d)
		close(ready)
	}()
}

func isFollowerFetch(req *server.Request) bool {
	body, ok := req.Body.(*kmsg.FetchRequest)
	return ok && fetchReplicaID(body) >= 0
}
