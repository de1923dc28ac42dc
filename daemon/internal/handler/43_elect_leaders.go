package handler

import (
	"context"
	"slices"
	"sort"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/controller"
	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/daemon/internal/server"
)

// ElectLeaders v0-2, served by the active controller: a preferred (0) or
// unclean (1, v1+) election for the partitions named, or for every
// partition when topics is null, in which case partitions that needed no
// election are left out of the answer (as Kafka does). Each partition
// carries its own error; v0 has no top-level error field, so a request
// refused as a whole (NOT_CONTROLLER) is reported per partition in every
// version, and at the top as well from v1. Elected leaders are answered
// once this broker's metadata shows them, up to timeout_ms.
func (h *Handler) electLeaders(ctx context.Context, req *server.Request) (*server.Response, error) {
	body := req.Body.(*kmsg.ElectLeadersRequest)
	if !h.allowedCluster(req, opAlter) {
		resp := body.ResponseKind().(*kmsg.ElectLeadersResponse)
		refuseElection(resp, requestedPartitions(body), clusterDenied)
		return &server.Response{Msg: resp}, nil
	}
	return later(func() kmsg.Response { return h.runElection(ctx, body) }), nil
}

func (h *Handler) runElection(ctx context.Context, body *kmsg.ElectLeadersRequest) kmsg.Response {
	resp := body.ResponseKind().(*kmsg.ElectLeadersResponse)
	typ := controller.ElectionType(body.ElectionType)
	if body.Version == 0 {
		typ = controller.PreferredElection
	}
	parts := requestedPartitions(body)
	if typ != controller.PreferredElection && typ != controller.UncleanElection {
		refuseElection(resp, h.orAll(parts), kerr.InvalidRequest.Code)
		return resp
	}
	var results map[controller.TopicPartition]controller.ElectionResult
	_, err := h.controllerOp(func(c Controller) ([]controller.TopicPartition, error) {
		var err error
		results, err = c.ElectLeaders(ctx, typ, parts)
		return nil, err
	})
	if err != nil {
		h.logControllerError("ElectLeaders", err)
		refuseElection(resp, h.orAll(parts), controllerErrorCode(err))
		return resp
	}
	elected := h.awaitElected(ctx, results, body.TimeoutMillis)
	for _, tp := range sortedPartitions(results) {
		r := results[tp]
		if parts == nil && r.Err != nil && kafkaerr.Code(r.Err) == kerr.ElectionNotNeeded.Code {
			continue
		}
		if r.Err == nil && !elected[tp] {
			r.Err = kafkaErrorf(kerr.RequestTimedOut, "leader %d elected but not yet known to this broker", r.Leader)
		}
		addElectionResult(resp, tp, kafkaerr.Code(r.Err), errorMessage(r.Err))
	}
	return resp
}

// requestedPartitions is the request's partitions without duplicates, or
// nil for "every partition".
func requestedPartitions(body *kmsg.ElectLeadersRequest) []controller.TopicPartition {
	if body.Topics == nil {
		return nil
	}
	out := []controller.TopicPartition{}
	for _, t := range body.Topics {
		for _, p := range t.Partitions {
			tp := controller.TopicPartition{Topic: t.Topic, Partition: p}
			if !slices.Contains(out, tp) {
				out = append(out, tp)
			}
		}
	}
	return out
}

// orAll returns parts, or every partition this broker's metadata knows
// when parts is nil (to answer a refused "every partition" request).
func (h *Handler) orAll(parts []controller.TopicPartition) []controller.TopicPartition {
	if parts != nil {
		return parts
	}
	snap := h.deps.Cache.Load()
	for _, name := range snap.TopicNames() {
		t, _ := snap.Topic(name)
		for _, p := range t.Partitions {
			parts = append(parts, controller.TopicPartition{Topic: name, Partition: p.Partition})
		}
	}
	return parts
}

func refuseElection(resp *kmsg.ElectLeadersResponse, parts []controller.TopicPartition, code int16) {
	if resp.Version >= 1 {
		resp.ErrorCode = code
	}
	for _, tp := range parts {
		addElectionResult(resp, tp, code, nil)
	}
}

func addElectionResult(resp *kmsg.ElectLeadersResponse, tp controller.TopicPartition, code int16, msg *string) {
	p := kmsg.NewElectLeadersResponseTopicPartition()
	p.Partition, p.ErrorCode, p.ErrorMessage = tp.Partition, code, msg
	for i := range resp.Topics {
		if resp.Topics[i].Topic == tp.Topic {
			resp.Topics[i].Partitions = append(resp.Topics[i].Partitions, p)
			return
		}
	}
	t := kmsg.NewElectLeadersResponseTopic()
	t.Topic, t.Partitions = tp.Topic, []kmsg.ElectLeadersResponseTopicPartition{p}
	resp.Topics = append(resp.Topics, t)
}

// awaitElected waits until this broker's metadata shows every elected
// leader (Kafka's DelayedElectLeader), up to the timeout, and reports
// which it shows.
func (h *Handler) awaitElected(ctx context.Context, results map[controller.TopicPartition]controller.ElectionResult, timeoutMs int32) map[controller.TopicPartition]bool {
	shown := func(s *metadatacache.Snapshot) map[controller.TopicPartition]bool {
		out := map[controller.TopicPartition]bool{}
		for tp, r := range results {
			if p, ok := s.Partition(tp.Topic, tp.Partition); r.Err == nil && ok && p.Leader == r.Leader {
				out[tp] = true
			}
		}
		return out
	}
	elected := 0
	for _, r := range results {
		if r.Err == nil {
			elected++
		}
	}
	if elected > 0 && timeoutMs > 0 {
		h.waitMetadata(ctx, time.Duration(timeoutMs)*time.Millisecond, func(s *metadatacache.Snapshot) bool {
			return len(shown(s)) == elected
		})
	}
	return shown(h.deps.Cache.Load())
}

func sortedPartitions(results map[controller.TopicPartition]controller.ElectionResult) []controller.TopicPartition {
	out := make([]controller.TopicPartition, 0, len(results))
	for tp := range results {
		out = append(out, tp)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Topic != out[j].Topic {
			return out[i].Topic < out[j].Topic
		}
		return out[i].Partition < out[j].Partition
	})
	return out
}
