package handler

import (
	"context"
	"reflect"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/metadatacache"
	"github.com/kqhq/kq/daemon/internal/replica"
	"github.com/kqhq/kq/daemon/internal/server"
	"github.com/kqhq/kq/store/partitionlog"
)

// Fetch v0-17. From v4 record bytes are never copied: each partition's data
// is a file region that the server splices into the response with sendfile.
// v0-3 clients read only legacy message sets, which the broker converts
// (fetch_downconvert.go).
//
// Fetch sessions (KIP-227, fetch_session.go): a full fetch at session epoch
// 0 opens a session when the cache has a slot; incremental fetches on it
// name only the partitions that changed and are answered only with the
// partitions that have news.
//
// Long polling: when less than min_bytes is available, the request waits up
// to max_wait_ms for any of its partitions to change, then reads again. It
// answers at once, whatever min_bytes says, when waiting cannot help: a
// fetch offset on a segment older than the end offset's (a read stops at
// its segment's end) or past the end offset, or any partition error.
//
// From v12 a fetcher sends the epoch of its last batch; when this log
// diverged from it, the partition answers DivergingEpoch (where to truncate)
// instead of records, so consumers and followers detect truncation.
//
// Transactions (v4+): every partition answers its last stable offset. A
// read_committed consumer (isolation_level 1) reads below it, never above,
// and gets the aborted transactions overlapping what it read (an empty
// list, not null, when none), whose records it drops; read_uncommitted gets
// null, as Kafka. min_bytes counts only what the isolation level may read.
func (h *Handler) fetch(ctx context.Context, req *server.Request) (*server.Response, error) {
	body := req.Body.(*kmsg.FetchRequest)
	fc, code := h.fetchSessionContext(body)
	if code != 0 {
		return &server.Response{Msg: sessionErrorResponse(body, code)}, nil
	}
	body = fc.body // an incremental fetch reads all its session's partitions
	plan := h.planFetch(req, body)
	plan.listener, plan.session = req.Conn.Listener, fc
	plan.principal, plan.clientID = req.Conn.Principal, req.ClientID
	res := plan.read()
	maxWait := time.Duration(body.MaxWaitMillis) * time.Millisecond
	if res.satisfied(body.MinBytes) || maxWait <= 0 {
		out := &server.Response{}
		out.Msg = plan.response(body, res, out)
		return out, nil
	}
	return h.longPoll(ctx, body, plan, res, maxWait), nil
}

func (h *Handler) longPoll(ctx context.Context, body *kmsg.FetchRequest, plan fetchPlan, res fetchRead, maxWait time.Duration) *server.Response {
	ready := make(chan struct{})
	out := &server.Response{Ready: ready}
	go func() {
		defer close(ready)
		deadline := time.NewTimer(maxWait)
		defer deadline.Stop()
		for !res.satisfied(body.MinBytes) {
			if !waitAny(ctx, deadline.C, res.wake) {
				break
			}
			res = plan.read()
		}
		out.Msg = plan.response(body, res, out)
	}()
	return out
}

// waitAny blocks until one of the channels fires (true) or the deadline or
// context ends the wait (false).
func waitAny(ctx context.Context, deadline <-chan time.Time, chans []<-chan struct{}) bool {
	cases := make([]reflect.SelectCase, 0, len(chans)+2)
	cases = append(cases,
		reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(deadline)},
		reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(ctx.Done())})
	for _, c := range chans {
		cases = append(cases, reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(c)})
	}
	chosen, _, _ := reflect.Select(cases)
	return chosen >= 2
}

// fetchPlan is a fetch request resolved against this broker's partitions.
type fetchPlan struct {
	h          *Handler
	listener   string
	principal  string // the connection's, and the request's client id,
	clientID   string // for the consumer quota
	replicaID  int32
	maxBytes   int32
	isolation  int8
	partitions []plannedPartition
	// firstBatchEach reads every partition's first batch whatever its size,
	// not only the response's first.
	firstBatchEach bool
	session        fetchSessionContext
}

type plannedPartition struct {
	topic             string // "" when the request's topic id is unknown
	topicIdx, partIdx int
	req               kmsg.FetchRequestTopicPartition
	part              *replica.Partition
	errCode           int16
}

func (h *Handler) planFetch(req *server.Request, body *kmsg.FetchRequest) fetchPlan {
	plan := fetchPlan{h: h, replicaID: fetchReplicaID(body), maxBytes: body.MaxBytes, isolation: body.IsolationLevel}
	// v0-3 bound the converted messages, not the stored bytes: the
	// down-conversion applies max_bytes, and v0-2 cut every partition's
	// first message at its limit, so each partition reads its first batch.
	if body.Version < 4 || plan.maxBytes <= 0 {
		plan.maxBytes = 1<<31 - 1
	}
	plan.firstBatchEach = body.Version < 3
	snap := h.deps.Cache.Load()
	for ti, rt := range body.Topics {
		name := rt.Topic
		known := true
		if body.Version >= 13 {
			name, known = h.fetchTopicName(snap, plan.replicaID, rt.TopicID)
		}
		mayRead := !known || h.mayFetch(req, plan.replicaID, name)
		for pi, rp := range rt.Partitions {
			pp := plannedPartition{topic: name, topicIdx: ti, partIdx: pi, req: rp}
			switch {
			case !known:
				pp.errCode = kerr.UnknownTopicID.Code
			case !mayRead:
				pp.errCode = kerr.TopicAuthorizationFailed.Code
			default:
				pp.part, pp.errCode = h.fetchPartition(name, rp)
			}
			plan.partitions = append(plan.partitions, pp)
		}
	}
	return plan
}

// fetchTopicName resolves a Fetch v13+ topic id. A follower may fetch a
// new topic before this broker's metadata cache has it: the controller
// sends LeaderAndIsr, which names the topic id and makes this broker
// leader, before UpdateMetadata. Answering UNKNOWN_TOPIC_ID then sent the
// follower into replica.fetch.backoff.ms (a second), and every acks=all
// produce to the new topic waited that long. So a replica's fetch also
// resolves ids of the partitions this broker hosts; a consumer's still
// needs the metadata, as in Kafka.
func (h *Handler) fetchTopicName(snap *metadatacache.Snapshot, replicaID int32, id [16]byte) (string, bool) {
	if name, ok := snap.TopicName(id); ok {
		return name, true
	}
	if replicaID < 0 {
		return "", false
	}
	return h.deps.Replicas.TopicName(id)
}

// mayFetch is KafkaApis' Fetch check: a follower (replica id >= 0) needs
// ClusterAction on the cluster, a consumer Read on the topic; either way a
// refusal is TOPIC_AUTHORIZATION_FAILED on the partition.
func (h *Handler) mayFetch(req *server.Request, replicaID int32, topic string) bool {
	if replicaID >= 0 {
		return h.allowedCluster(req, opClusterAction)
	}
	return h.allowed(req, opRead, resTopic, topic)
}

func fetchReplicaID(body *kmsg.FetchRequest) int32 {
	if body.Version >= 15 {
		return body.ReplicaState.ID
	}
	return body.ReplicaID
}

func (h *Handler) fetchPartition(topic string, rp kmsg.FetchRequestTopicPartition) (*replica.Partition, int16) {
	part, err := h.deps.Replicas.Leader(topic, rp.Partition, rp.CurrentLeaderEpoch)
	if err != nil {
		return nil, h.partitionErrorCode(topic, rp.Partition, err)
	}
	return part, 0
}

// fetchRead is one pass over the planned partitions.
type fetchRead struct {
	results  []partitionRead
	bytes    int64
	errors   bool
	diverged bool // a fetcher must truncate, or a follower learn the high watermark: answer at once
	noWait   bool // a partition's read cannot grow by waiting (replica.FetchResult.NoWait)
	wake     []<-chan struct{}
}

type partitionRead struct {
	res     replica.FetchResult
	errCode int16
}

func (p fetchPlan) read() fetchRead {
	out := fetchRead{results: make([]partitionRead, len(p.partitions))}
	remaining := p.maxBytes
	for i, pp := range p.partitions {
		if pp.errCode != 0 {
			out.results[i].errCode = pp.errCode
			out.errors = true
			continue
		}
		out.wake = append(out.wake, pp.part.Changed())
		limit := min(pp.req.PartitionMaxBytes, remaining)
		minOne := out.bytes == 0 || p.firstBatchEach
		if p.leaderThrottled(pp) { // replication_throttle.go
			limit, minOne = 0, false
		}
		res, err := pp.part.Read(replica.FetchParams{
			Offset: pp.req.FetchOffset, MaxBytes: max(limit, 0), LeaderEpoch: pp.req.CurrentLeaderEpoch,
			ReplicaID: p.replicaID, MinOneBatch: minOne, LastFetchedEpoch: pp.req.LastFetchedEpoch,
			IsolationLevel: p.isolation,
		})
		out.results[i] = partitionRead{res: res, errCode: p.readErrorCode(pp, err)}
		// A diverged fetcher must truncate, and a follower must learn a new
		// high watermark: answer both at once.
		out.diverged = out.diverged || res.DivergingEpoch != nil || res.HighWatermarkNews
		out.noWait = out.noWait || res.NoWait
		if err != nil {
			out.errors = true
			p.h.logUnexpected("fetch", pp.part.Topic, pp.part.Index, err)
			continue
		}
		out.bytes += int64(res.Data.Len)
		remaining -= res.Data.Len
	}
	return out
}

// readErrorCode maps a partition's read error. A partition this broker
// stopped hosting while the fetch waited is answered as Kafka's re-read
// does: UNKNOWN_TOPIC_OR_PARTITION once the metadata no longer has it.
func (p fetchPlan) readErrorCode(pp plannedPartition, err error) int16 {
	if err == nil {
		return 0
	}
	if cur, ok := p.h.deps.Replicas.Get(pp.part.Topic, pp.part.Index); !ok || cur != pp.part {
		return p.h.partitionErrorCode(pp.part.Topic, pp.part.Index, replica.ErrUnknownTopicOrPartition)
	}
	return kafkaerr.Code(err)
}

// satisfied reports whether the fetch can be answered now, as Kafka's
// DelayedFetch.tryComplete: a partition no longer led here, gone, fenced,
// out of range or in an offline log directory (all errors of the re-read);
// a fetch offset on an older segment than the end offset or past it
// (noWait); a diverging epoch; or enough bytes.
func (r fetchRead) satisfied(minBytes int32) bool {
	return r.errors || r.diverged || r.noWait || r.bytes >= int64(max(minBytes, 1)) || len(r.wake) == 0
}

// response builds the Fetch response, attaching each partition's file region
// to out so the server can send it with sendfile.
func (p fetchPlan) response(body *kmsg.FetchRequest, r fetchRead, out *server.Response) *kmsg.FetchResponse {
	resp := body.ResponseKind().(*kmsg.FetchResponse)
	for _, rt := range body.Topics {
		t := kmsg.NewFetchResponseTopic()
		t.Topic, t.TopicID = rt.Topic, rt.TopicID
		for _, rp := range rt.Partitions {
			p := kmsg.NewFetchResponseTopicPartition()
			p.Partition = rp.Partition
			t.Partitions = append(t.Partitions, p)
		}
		resp.Topics = append(resp.Topics, t)
	}
	conv := p.downconverter(body) // nil from v4
	i := 0
	for ti := range resp.Topics {
		for pi := range resp.Topics[ti].Partitions {
			rp := &resp.Topics[ti].Partitions[pi]
			if conv != nil {
				conv.fill(rp, p.partitions[i], r.results[i])
			} else {
				fillFetchPartition(rp, r.results[i], out)
			}
			i++
		}
	}
	if body.Version >= 16 {
		p.addLeaderHints(resp)
	}
	p.session.finish(resp, p.replicaID)
	p.countBytesOut(r)
	p.throttleFetch(r, out)
	p.recordLeaderReplication(r)
	return resp
}

// addLeaderHints fills KIP-951's current leader of every partition refused
// with NOT_LEADER_OR_FOLLOWER or FENCED_LEADER_EPOCH, and their endpoints.
func (p fetchPlan) addLeaderHints(resp *kmsg.FetchResponse) {
	snap := p.h.deps.Cache.Load()
	var nodes leaderNodes
	for _, pp := range p.partitions {
		rp := &resp.Topics[pp.topicIdx].Partitions[pp.partIdx]
		if !wantsLeaderHint(rp.ErrorCode) {
			continue
		}
		h := currentLeader(snap, pp.topic, rp.Partition, p.listener)
		rp.CurrentLeader.LeaderID, rp.CurrentLeader.LeaderEpoch = h.id, h.epoch
		nodes.add(h)
	}
	for _, h := range nodes.hints {
		resp.Brokers = append(resp.Brokers, kmsg.FetchResponseBroker{NodeID: h.id, Host: h.endpoint.Host, Port: h.endpoint.Port, Rack: h.node.Rack})
	}
}

func fillFetchPartition(p *kmsg.FetchResponseTopicPartition, pr partitionRead, out *server.Response) {
	if !fillFetchOffsets(p, pr) {
		return
	}
	if d := pr.res.Data; d.Len > 0 {
		p.RecordBatches = out.AttachFile(server.FileRegion{File: d.File, Pos: d.Pos, Len: d.Len})
	}
}

// fillFetchOffsets fills a partition's error code, offsets and diverging
// epoch; false when its error leaves nothing more to answer.
func fillFetchOffsets(p *kmsg.FetchResponseTopicPartition, pr partitionRead) bool {
	p.ErrorCode = pr.errCode
	p.HighWatermark, p.LastStableOffset, p.LogStartOffset = -1, -1, -1
	if pr.errCode != 0 && pr.errCode != kerr.OffsetOutOfRange.Code {
		return false
	}
	p.HighWatermark = pr.res.HighWatermark
	p.LastStableOffset = pr.res.LastStableOffset
	p.LogStartOffset = pr.res.LogStartOffset
	p.AbortedTransactions = abortedTransactions(pr.res.AbortedTransactions)
	p.RecordBatches = []byte{}
	if d := pr.res.DivergingEpoch; d != nil {
		p.DivergingEpoch.Epoch, p.DivergingEpoch.EndOffset = d.Epoch, d.EndOffset
	}
	return true
}

// abortedTransactions converts the log's entries; nil stays nil (null on
// the wire, read_uncommitted), an empty list stays empty.
func abortedTransactions(in []partitionlog.AbortedTxn) []kmsg.FetchResponseTopicPartitionAbortedTransaction {
	if in == nil {
		return nil
	}
	out := make([]kmsg.FetchResponseTopicPartitionAbortedTransaction, len(in))
	for i, a := range in {
		out[i] = kmsg.NewFetchResponseTopicPartitionAbortedTransaction()
		out[i].ProducerID, out[i].FirstOffset = a.ProducerID, a.FirstOffset
	}
	return out
}
