package handler

import (
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Fetch sessions (KIP-227). A request's session epoch, not its session id,
// says what it is, as Kafka's FetchManager.newContext decides:
//
//   - epoch -1 (FINAL_EPOCH): a full fetch without a session; it closes the
//     session it names, if any. Fetch v0-6 carry no session fields and are
//     always this kind (kmsg decodes their epoch as -1).
//   - epoch 0 (INITIAL_EPOCH): a full fetch asking for a new session; it
//     too closes the session it names. The response carries the new
//     session's id, or 0 when the cache has no slot for it (then the client
//     keeps sending full fetches).
//   - any other epoch: an incremental fetch on the session it names, which
//     must exist (FETCH_SESSION_ID_NOT_FOUND) at that epoch
//     (INVALID_FETCH_SESSION_EPOCH) and with topic ids as its version says
//     (FETCH_SESSION_TOPIC_ID_ERROR). Its partitions add to or update the
//     session's, forgotten_topics_data removes some, and every session
//     partition is read; the response holds only the partitions with
//     something new: records, an error, a diverging epoch, or a high
//     watermark or log start offset other than the session last sent.
const (
	finalSessionEpoch   int32 = -1
	initialSessionEpoch int32 = 0
)

type sessionKind int

const (
	sessionless sessionKind = iota
	sessionFull
	sessionIncremental
)

// fetchSessionContext is how one Fetch request uses the session cache: the
// request to read (an incremental one reads all its session's
// partitions) and how to finish the response.
type fetchSessionContext struct {
	kind    sessionKind
	cache   *fetchSessionCache
	slots   int
	body    *kmsg.FetchRequest // what to read
	session *fetchSession      // incremental
	epoch   int32              // incremental: the session's epoch after this request
}

// fetchSessionContext resolves a request against the session cache, or
// returns the session error to answer.
func (h *Handler) fetchSessionContext(body *kmsg.FetchRequest) (fetchSessionContext, int16) {
	fc := fetchSessionContext{cache: h.sessions, slots: int(h.deps.Settings().MaxIncrementalFetchSessionCacheSlots), body: body}
	if body.Version < 7 {
		return fc, 0 // no session fields, whatever a decoder left in them
	}
	switch body.SessionEpoch {
	case finalSessionEpoch, initialSessionEpoch:
		if body.SessionID != 0 {
			fc.cache.remove(body.SessionID)
		}
		if body.SessionEpoch == initialSessionEpoch {
			fc.kind = sessionFull
		}
		return fc, 0
	}
	return fc.incremental(body)
}

func (fc fetchSessionContext) incremental(body *kmsg.FetchRequest) (fetchSessionContext, int16) {
	c := fc.cache
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.get(body.SessionID)
	switch {
	case s == nil:
		return fc, kerr.FetchSessionIDNotFound.Code
	case s.epoch != body.SessionEpoch:
		return fc, kerr.InvalidFetchSessionEpoch.Code
	case s.usesIDs != (body.Version >= 13):
		return fc, kerr.FetchSessionTopicIDError.Code
	}
	s.update(body)
	if len(s.parts) == 0 {
		// Every partition forgotten: the session ends, as in Kafka.
		c.removeLocked(s.id)
		return fc, 0
	}
	s.lastUsed = c.now()
	s.epoch = nextSessionEpoch(s.epoch)
	fc.kind, fc.session, fc.epoch = sessionIncremental, s, s.epoch
	fc.body = s.request(body)
	return fc, 0
}

// update applies an incremental request's partitions and forgotten ones.
func (s *fetchSession) update(body *kmsg.FetchRequest) {
	for _, rt := range body.Topics {
		for _, rp := range rt.Partitions {
			key := sessionKeyOf(s.usesIDs, rt.Topic, rt.TopicID, rp.Partition)
			s.add(&sessionPartition{key: key, topic: rt.Topic, topicID: rt.TopicID, req: rp, hw: -1, logStart: -1})
		}
	}
	var gone []sessionKey
	for _, ft := range body.ForgottenTopics {
		for _, p := range ft.Partitions {
			gone = append(gone, sessionKeyOf(s.usesIDs, ft.Topic, ft.TopicID, p))
		}
	}
	s.forget(gone)
}

// request is the fetch to read for an incremental request: its own
// settings over every session partition, in session order.
func (s *fetchSession) request(body *kmsg.FetchRequest) *kmsg.FetchRequest {
	out := *body
	out.Topics, out.ForgottenTopics = nil, nil
	for _, p := range s.parts {
		if n := len(out.Topics); n == 0 || out.Topics[n-1].Topic != p.topic || out.Topics[n-1].TopicID != p.topicID {
			rt := kmsg.NewFetchRequestTopic()
			rt.Topic, rt.TopicID = p.topic, p.topicID
			out.Topics = append(out.Topics, rt)
		}
		rt := &out.Topics[len(out.Topics)-1]
		rt.Partitions = append(rt.Partitions, p.req)
	}
	return &out
}

// finish sets the response's session id and, for an incremental fetch,
// keeps only the partitions with news.
func (fc fetchSessionContext) finish(resp *kmsg.FetchResponse, replicaID int32) {
	switch fc.kind {
	case sessionless:
		resp.SessionID = 0
	case sessionFull:
		resp.SessionID = fc.cache.create(fc.slots, replicaID >= 0, fc.body.Version >= 13, fullSessionPartitions(fc.body, resp))
	case sessionIncremental:
		fc.finishIncremental(resp)
	}
}

// fullSessionPartitions are a full fetch's partitions with what its
// response told the client.
func fullSessionPartitions(body *kmsg.FetchRequest, resp *kmsg.FetchResponse) []*sessionPartition {
	usesIDs := body.Version >= 13
	var out []*sessionPartition
	for ti, rt := range body.Topics {
		for pi, rp := range rt.Partitions {
			p := &sessionPartition{key: sessionKeyOf(usesIDs, rt.Topic, rt.TopicID, rp.Partition), topic: rt.Topic, topicID: rt.TopicID, req: rp}
			r := resp.Topics[ti].Partitions[pi]
			p.hw, p.logStart = r.HighWatermark, r.LogStartOffset
			if r.ErrorCode != 0 {
				p.hw = -1
			}
			out = append(out, p)
		}
	}
	return out
}

func (fc fetchSessionContext) finishIncremental(resp *kmsg.FetchResponse) {
	c, s := fc.cache, fc.session
	c.mu.Lock()
	defer c.mu.Unlock()
	resp.SessionID = s.id
	if s.epoch != fc.epoch {
		// Another request on this session came in meanwhile (a duplicate).
		resp.ErrorCode, resp.Topics = kerr.InvalidFetchSessionEpoch.Code, nil
		return
	}
	var moved []*sessionPartition
	topics := resp.Topics[:0]
	for _, t := range resp.Topics {
		parts := t.Partitions[:0]
		for _, rp := range t.Partitions {
			p := s.index[sessionKeyOf(s.usesIDs, t.Topic, t.TopicID, rp.Partition)]
			if p == nil || !p.mustRespond(rp) {
				continue
			}
			if len(rp.RecordBatches) > 0 {
				moved = append(moved, p)
			}
			parts = append(parts, rp)
		}
		if len(parts) > 0 {
			t.Partitions = parts
			topics = append(topics, t)
		}
	}
	resp.Topics = topics
	s.moveToEnd(moved)
}

// mustRespond is Kafka's CachedPartition.maybeUpdateResponseData: whether
// the partition goes in an incremental response, remembering what it told.
func (p *sessionPartition) mustRespond(rp kmsg.FetchResponseTopicPartition) bool {
	must := len(rp.RecordBatches) > 0 || rp.DivergingEpoch.Epoch >= 0 || rp.PreferredReadReplica >= 0
	if p.hw != rp.HighWatermark {
		p.hw, must = rp.HighWatermark, true
	}
	if p.logStart != rp.LogStartOffset {
		p.logStart, must = rp.LogStartOffset, true
	}
	if rp.ErrorCode != 0 {
		// Forget the high watermark so the partition is sent again once the
		// error clears.
		p.hw, must = -1, true
	}
	return must
}

// moveToEnd puts the partitions that returned records last, so the others
// come first under max_bytes next time.
func (s *fetchSession) moveToEnd(moved []*sessionPartition) {
	if len(moved) == 0 {
		return
	}
	last := make(map[*sessionPartition]bool, len(moved))
	for _, p := range moved {
		last[p] = true
	}
	kept := make([]*sessionPartition, 0, len(s.parts))
	for _, p := range s.parts {
		if !last[p] {
			kept = append(kept, p)
		}
	}
	s.parts = append(kept, moved...)
}

// sessionErrorResponse is Kafka's answer to a session error: the error, no
// session id and no partitions.
func sessionErrorResponse(body *kmsg.FetchRequest, code int16) *kmsg.FetchResponse {
	resp := body.ResponseKind().(*kmsg.FetchResponse)
	resp.ErrorCode = code
	resp.SessionID = 0
	return resp
}
