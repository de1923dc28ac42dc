package handler

import (
	"context"
	"errors"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/daemon/internal/server"
	"github.com/kqhq/kq/daemon/placement"
	"github.com/kqhq/kq/store/partitionlog"
)

// Produce v0-11: record batches (magic 2) from v3, legacy message sets
// (magic 0 and 1) before, converted on append (produce_legacy.go). Appends
// happen here, in request order; an acks=all request then waits for the ISR without holding up the
// connection's next request, and the server writes responses in order.
func (h *Handler) produce(ctx context.Context, req *server.Request) (*server.Response, error) {
	resp, err := h.appendProduce(ctx, req)
	h.throttleProduce(req, resp)
	if resp != nil {
		// The records are written before appendProduce returns and the log
		// keeps no reference to them; the response holds copies of the
		// request's strings. So the server may reuse the request's bytes.
		resp.FrameDone = true
	}
	return resp, err
}

// appendProduce appends a produce request's records and returns its
// response, pending the ISR's acknowledgement for acks=all.
func (h *Handler) appendProduce(ctx context.Context, req *server.Request) (*server.Response, error) {
	body := req.Body.(*kmsg.ProduceRequest)
	resp := body.ResponseKind().(*kmsg.ProduceResponse)
	if body.Acks != 0 && body.Acks != 1 && body.Acks != -1 {
		fillProduceError(resp, body, kerr.InvalidRequiredAcks.Code)
		return &server.Response{Msg: resp}, nil
	}
	if code := h.produceTxnAuthorization(req, body); code != 0 {
		fillProduceError(resp, body, code)
		return &server.Response{Msg: resp}, nil
	}
	denied := h.produceDeniedTopics(req, body)
	verified := h.verifyTxnProduce(ctx, body) // KIP-890 (produce_verify.go)
	if verified.requestCode != 0 {
		fillProduceError(resp, body, verified.requestCode)
		return &server.Response{Msg: resp}, nil
	}
	var jobs []produceJob
	failed := false
	for _, rt := range body.Topics {
		t := kmsg.NewProduceResponseTopic()
		t.Topic = rt.Topic
		for _, rp := range rt.Partitions {
			if denied != nil && denied[len(resp.Topics)] {
				t.Partitions = append(t.Partitions, refusedProducePartition(rp.Partition, kerr.TopicAuthorizationFailed.Code, body.Version))
				failed = true
				continue
			}
			if code, refused := verified.refused[partitionKey{rt.Topic, rp.Partition}]; refused {
				t.Partitions = append(t.Partitions, refusedProducePartition(rp.Partition, code, body.Version))
				failed = true
				continue
			}
			jobs = append(jobs, produceJob{topic: rt.Topic, rp: rp, slot: [2]int{len(resp.Topics), len(t.Partitions)}})
			t.Partitions = append(t.Partitions, kmsg.ProduceResponseTopicPartition{}) // the job's result
		}
		resp.Topics = append(resp.Topics, t)
	}
	h.appendJobs(jobs, body.Acks, body.Version)
	var waits []pendingAck
	for _, j := range jobs {
		resp.Topics[j.slot[0]].Partitions[j.slot[1]] = j.result
		failed = failed || j.result.ErrorCode != 0
		if j.wait != nil {
			j.wait.slot = j.slot
			waits = append(waits, *j.wait)
		}
	}
	if body.Version >= 10 {
		addProduceLeaderHints(h.deps.Cache.Load(), resp, req.Conn.Listener)
	}
	if body.Acks == 0 {
		if failed {
			// Kafka closes the connection so an acks=0 producer notices.
			return nil, errors.New("acks=0 produce failed")
		}
		return &server.Response{}, nil
	}
	// Most waits are over at once (a partition without followers, or
	// flush.mode page cache at acks=1): settle those here, so only a
	// request still waiting costs a goroutine and a timer.
	if waits, _ = settleAcks(resp, waits); len(waits) == 0 {
		return &server.Response{Msg: resp}, nil
	}
	return h.awaitReplication(ctx, resp, waits, time.Duration(body.TimeoutMillis)*time.Millisecond), nil
}

// pendingAck is an acks=all append waiting for the ISR, or an acks=1
// append waiting for the leader's fsync (leaderOnly, produce_durable.go).
type pendingAck struct {
	part       *replica.Partition
	end        int64 // one past the last appended offset
	minInsync  int
	slot       [2]int // topic and partition index in the response
	leaderOnly bool
}

func (h *Handler) producePartition(topic string, rp kmsg.ProduceRequestTopicPartition, acks, version int16) (kmsg.ProduceResponseTopicPartition, *pendingAck) {
	p := newProducePartition(rp.Partition)
	if placement.IsInternalTopic(topic) {
		p.ErrorCode = kerr.InvalidTopicException.Code
		return p, nil
	}
	part, err := h.deps.Replicas.Leader(topic, rp.Partition, -1)
	if err != nil {
		p.ErrorCode = h.partitionErrorCode(topic, rp.Partition, err)
		return p, nil
	}
	minInsync := h.deps.Configs.MinInsyncReplicas(topic)
	info, err := appendProduced(part, rp.Records, acks, minInsync, version)
	if err != nil {
		p.ErrorCode = kafkaerr.Code(err)
		h.logUnexpected("produce", topic, rp.Partition, err)
		if version >= 8 {
			p.ErrorMessage = errorMessage(err)
		}
		logStart, _, _ := part.Offsets()
		fillRecordErrors(&p, err, logStart, version)
		return p, nil
	}
	p.BaseOffset = info.FirstOffset
	p.LogAppendTime = info.LogAppendTime
	p.LogStartOffset = info.LogStartOffset
	if acks != -1 {
		wait := leaderAck(part, &p, acks, info.LastOffset+1) // may set p's error: call before p is read
		return p, wait
	}
	return p, &pendingAck{part: part, end: info.LastOffset + 1, minInsync: minInsync}
}

// fillRecordErrors answers a batch refused for some of its records as
// Kafka does (KIP-467): from v8 every bad record's index within the batch
// with its message, and Kafka's own error_message in place of the log's
// wrapped text, so a client fails those records with their error and the
// others as victims of the batch; the log start offset as Kafka's
// ReplicaManager reports it for such a refusal.
func fillRecordErrors(p *kmsg.ProduceResponseTopicPartition, err error, logStart int64, version int16) {
	var re *partitionlog.RecordErrors
	if !errors.As(err, &re) {
		return
	}
	p.LogStartOffset = logStart
	if version < 8 {
		return
	}
	msg := re.Error()
	p.ErrorMessage = &msg
	for _, r := range re.Records {
		e := kmsg.NewProduceResponseTopicPartitionErrorRecord()
		e.RelativeOffset, e.ErrorMessage = r.Index, &r.Message
		p.ErrorRecords = append(p.ErrorRecords, e)
	}
}

// refusedProducePartition answers a partition whose transactional write
// the coordinator did not confirm.
func refusedProducePartition(partition int32, code, version int16) kmsg.ProduceResponseTopicPartition {
	p := newProducePartition(partition)
	p.ErrorCode = code
	var msg string
	switch code {
	case kerr.InvalidTxnState.Code:
		msg = "Partition was not added to the transaction"
	case kerr.NotEnoughReplicas.Code:
		msg = "Unable to verify the partition has been added to the transaction"
	}
	if version >= 8 && msg != "" {
		p.ErrorMessage = &msg
	}
	return p
}

// newProducePartition is a partition result before the append: Kafka
// answers base offset -1 (with log append time and log start -1) for every
// partition that fails.
func newProducePartition(partition int32) kmsg.ProduceResponseTopicPartition {
	p := kmsg.NewProduceResponseTopicPartition()
	p.Partition, p.BaseOffset = partition, -1
	return p
}

// partitionErrorCode distinguishes a partition led elsewhere from one that
// does not exist anywhere, which this broker learns from its cache: as
// Kafka's ReplicaManager, NOT_LEADER_OR_FOLLOWER only when the cache knows
// that very partition.
func (h *Handler) partitionErrorCode(topic string, partition int32, err error) int16 {
	if errors.Is(err, replica.ErrUnknownTopicOrPartition) {
		if _, ok := h.deps.Cache.Load().Partition(topic, partition); ok {
			return kerr.NotLeaderForPartition.Code
		}
	}
	return kafkaerr.Code(err)
}

// addProduceLeaderHints fills KIP-951's current leader of every partition
// refused with NOT_LEADER_OR_FOLLOWER, and the leaders' endpoints.
func addProduceLeaderHints(snap *metadatacache.Snapshot, resp *kmsg.ProduceResponse, listener string) {
	var nodes leaderNodes
	for ti := range resp.Topics {
		t := &resp.Topics[ti]
		for pi := range t.Partitions {
			p := &t.Partitions[pi]
			if !wantsLeaderHint(p.ErrorCode) {
				continue
			}
			h := currentLeader(snap, t.Topic, p.Partition, listener)
			p.CurrentLeader.LeaderID, p.CurrentLeader.LeaderEpoch = h.id, h.epoch
			nodes.add(h)
		}
	}
	for _, h := range nodes.hints {
		resp.Brokers = append(resp.Brokers, kmsg.ProduceResponseBroker{NodeID: h.id, Host: h.endpoint.Host, Port: h.endpoint.Port, Rack: h.node.Rack})
	}
}

func fillProduceError(resp *kmsg.ProduceResponse, body *kmsg.ProduceRequest, code int16) {
	for _, rt := range body.Topics {
		t := kmsg.NewProduceResponseTopic()
		t.Topic = rt.Topic
		for _, rp := range rt.Partitions {
			p := newProducePartition(rp.Partition)
			p.ErrorCode = code
			t.Partitions = append(t.Partitions, p)
		}
		resp.Topics = append(resp.Topics, t)
	}
}

// awaitReplication completes the response when every pending append is
// committed, or marks the stragglers REQUEST_TIMED_OUT after the timeout.
func (h *Handler) awaitReplication(ctx context.Context, resp *kmsg.ProduceResponse, waits []pendingAck, timeout time.Duration) *server.Response {
	ready := make(chan struct{})
	out := &server.Response{Ready: ready}
	go func() {
		defer close(ready)
		deadline := time.NewTimer(timeout)
		defer deadline.Stop()
		for len(waits) > 0 {
			var wake <-chan struct{}
			waits, wake = settleAcks(resp, waits)
			if len(waits) == 0 {
				break
			}
			select {
			case <-wake:
			case <-deadline.C:
				markAcks(resp, waits, kerr.RequestTimedOut.Code)
				waits = nil
			case <-ctx.Done():
				markAcks(resp, waits, kerr.RequestTimedOut.Code)
				waits = nil
			}
		}
		out.Msg = resp
	}()
	return out
}

// settleAcks records the outcome of every finished wait and returns the rest
// with a channel that fires when the first of them may have progressed.
func settleAcks(resp *kmsg.ProduceResponse, waits []pendingAck) ([]pendingAck, <-chan struct{}) {
	rest := waits[:0]
	var wake <-chan struct{}
	for _, w := range waits {
		done, ch, err := w.settled()
		if done {
			if err != nil {
				resp.Topics[w.slot[0]].Partitions[w.slot[1]].ErrorCode = kafkaerr.Code(err)
			}
			continue
		}
		if wake == nil {
			wake = ch
		}
		rest = append(rest, w)
	}
	return rest, wake
}

func markAcks(resp *kmsg.ProduceResponse, waits []pendingAck, code int16) {
	for _, w := range waits {
		resp.Topics[w.slot[0]].Partitions[w.slot[1]].ErrorCode = code
	}
}

// logUnexpected logs errors that are not ordinary client mistakes.
func (h *Handler) logUnexpected(op, topic string, partition int32, err error) {
	if kafkaerr.ServerFault(err) {
		h.log.Error("partition operation failed", "op", op, "topic", topic, "partition", partition, "err", err)
	}
}
