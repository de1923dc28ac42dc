package handler_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/handler"
)

// TestFetchSessionRules: the session epoch decides what a fetch is (KIP-227,
// Kafka's FetchManager.newContext). Full fetches (epoch -1 or 0, whatever
// the session id) are served without a session; incremental ones name a
// session kq never created.
func TestFetchSessionRules(t *testing.T) {
	tests := []struct {
		name      string
		version   int16
		sessionID int32
		epoch     int32
		code      int16
	}{
		{name: "sessionless full fetch", sessionID: 0, epoch: -1},
		{name: "final epoch closing a session (kafka-go Client.Fetch)", sessionID: -1, epoch: -1},
		{name: "final epoch naming a session id", sessionID: 7, epoch: -1},
		{name: "new session, declined", sessionID: 0, epoch: 0},
		{name: "new session replacing one, declined", sessionID: 7, epoch: 0},
		{name: "incremental on an unknown session", sessionID: 7, epoch: 1, code: kerr.FetchSessionIDNotFound.Code},
		{name: "incremental without a session id", sessionID: 0, epoch: 3, code: kerr.FetchSessionIDNotFound.Code},
		{name: "v4 has no session fields", version: 4},
		{name: "v13 sessionless", version: 13, sessionID: -1, epoch: -1},
		{name: "v13 incremental", version: 13, sessionID: 9, epoch: 2, code: kerr.FetchSessionIDNotFound.Code},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			id := f.topic("t", ledHere(1)...)
			f.produce("t", 0, batch(1000, "a"))
			req := fetchReq(0, 1, 1<<20, fetchPart{topic: "t", topicID: id, epoch: -1})
			if tc.version != 0 {
				req.Version = tc.version
			}
			req.SessionID, req.SessionEpoch = tc.sessionID, tc.epoch
			resp := f.call(req).(*kmsg.FetchResponse)
			if resp.ErrorCode != tc.code || resp.SessionID != 0 {
				t.Fatalf("code %d session id %d, want code %d and session id 0", resp.ErrorCode, resp.SessionID, tc.code)
			}
			if tc.code != 0 {
				if len(resp.Topics) != 0 {
					t.Fatalf("session error with %d topics, want none", len(resp.Topics))
				}
				return
			}
			if len(resp.Topics) != 1 || len(resp.Topics[0].Partitions) != 1 {
				t.Fatalf("topics %+v, want the partition", resp.Topics)
			}
			if p := resp.Topics[0].Partitions[0]; p.ErrorCode != 0 || p.HighWatermark != 1 || len(p.RecordBatches) == 0 {
				t.Fatalf("partition %+v, want its record", p)
			}
		})
	}
}

// sessionFixture is a fixture whose handler keeps fetch sessions, with
// topic t of two partitions led here.
func sessionFixture(t *testing.T, slots int32) (*fixture, [16]byte) {
	f := newFixture(t)
	f.setSettings(func(s *handler.Settings) { s.MaxIncrementalFetchSessionCacheSlots = slots })
	return f, f.topic("t", ledHere(2)...)
}

// sessionFetch sends a fetch at a session id and epoch, answered at once.
func sessionFetch(f *fixture, version int16, id, epoch int32, parts []fetchPart, forget ...fetchPart) *kmsg.FetchResponse {
	f.t.Helper()
	req := fetchReq(0, 1, 1<<20, parts...)
	req.Version, req.SessionID, req.SessionEpoch = version, id, epoch
	for _, fp := range forget {
		ft := kmsg.NewFetchRequestForgottenTopic()
		ft.Topic, ft.TopicID, ft.Partitions = fp.topic, fp.topicID, []int32{fp.partition}
		req.ForgottenTopics = append(req.ForgottenTopics, ft)
	}
	return f.call(req).(*kmsg.FetchResponse)
}

// answered lists "partition:hw:records" of a response's partitions.
func answered(resp *kmsg.FetchResponse) []string {
	var out []string
	for _, t := range resp.Topics {
		for _, p := range t.Partitions {
			out = append(out, fmt.Sprintf("%d:%d:%v", p.Partition, p.HighWatermark, len(p.RecordBatches) > 0))
		}
	}
	return out
}

// TestFetchSessionIncremental walks a consumer session: a full fetch opens
// it, incremental fetches answer only partitions with news, add and forget
// partitions, and forgetting the last closes it.
func TestFetchSessionIncremental(t *testing.T) {
	for _, version := range []int16{12, 13} {
		t.Run(fmt.Sprintf("v%d", version), func(t *testing.T) {
			f, id := sessionFixture(t, 10)
			p0 := fetchPart{topic: "t", topicID: id, epoch: -1}
			p1 := fetchPart{topic: "t", topicID: id, partition: 1, epoch: -1}
			f.produce("t", 0, batch(1000, "a"))
			full := sessionFetch(f, version, 0, 0, []fetchPart{p0})
			sid := full.SessionID
			if full.ErrorCode != 0 || sid == 0 || !slices.Equal(answered(full), []string{"0:1:true"}) {
				t.Fatalf("full fetch: code %d session %d partitions %v", full.ErrorCode, sid, answered(full))
			}
			steps := []struct {
				name   string
				parts  []fetchPart
				forget []fetchPart
				before func()
				want   []string
			}{
				{name: "offset moved, nothing new", parts: []fetchPart{{topic: "t", topicID: id, offset: 1, epoch: -1}}},
				{name: "no change at all"},
				{name: "new records", before: func() { f.produce("t", 0, batch(1000, "b")) }, want: []string{"0:2:true"}},
				{name: "partition added", parts: []fetchPart{{topic: "t", topicID: id, offset: 2, epoch: -1}, p1}, want: []string{"1:0:false"}},
				{name: "records on the added partition", before: func() { f.produce("t", 1, batch(1000, "c")) }, want: []string{"1:1:true"}},
				{name: "partition 0 forgotten", forget: []fetchPart{p0}, before: func() { f.produce("t", 0, batch(1000, "d")) }, want: []string{"1:1:true"}},
			}
			epoch := int32(1)
			for _, st := range steps {
				if st.before != nil {
					st.before()
				}
				resp := sessionFetch(f, version, sid, epoch, st.parts, st.forget...)
				if resp.ErrorCode != 0 || resp.SessionID != sid || !slices.Equal(answered(resp), st.want) {
					t.Fatalf("%s: code %d session %d partitions %v, want session %d partitions %v",
						st.name, resp.ErrorCode, resp.SessionID, answered(resp), sid, st.want)
				}
				epoch++
			}
			resp := sessionFetch(f, version, sid, epoch, nil, p1)
			if resp.ErrorCode != 0 || resp.SessionID != 0 {
				t.Fatalf("last partition forgotten: code %d session %d, want the session closed (id 0)", resp.ErrorCode, resp.SessionID)
			}
			if resp := sessionFetch(f, version, sid, epoch+1, nil); resp.ErrorCode != kerr.FetchSessionIDNotFound.Code {
				t.Fatalf("closed session: code %d, want FETCH_SESSION_ID_NOT_FOUND", resp.ErrorCode)
			}
		})
	}
}

// TestFetchSessionErrors: the session errors of incremental fetches, and
// full fetches closing the session they name. The session expects epoch 2.
func TestFetchSessionErrors(t *testing.T) {
	tests := []struct {
		name    string
		version int16
		otherID bool
		epoch   int32
		code    int16
		closes  bool
	}{
		{name: "expected epoch", version: 12, epoch: 2},
		{name: "epoch behind (a replay)", version: 12, epoch: 1, code: kerr.InvalidFetchSessionEpoch.Code},
		{name: "epoch ahead", version: 12, epoch: 3, code: kerr.InvalidFetchSessionEpoch.Code},
		{name: "unknown id", version: 12, otherID: true, epoch: 2, code: kerr.FetchSessionIDNotFound.Code},
		{name: "topic ids on a session without", version: 13, epoch: 2, code: kerr.FetchSessionTopicIDError.Code},
		{name: "final epoch closes it", version: 12, epoch: -1, closes: true},
		{name: "a new session replaces it", version: 12, epoch: 0, closes: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, _ := sessionFixture(t, 10)
			sid := sessionFetch(f, 12, 0, 0, []fetchPart{{topic: "t", epoch: -1}}).SessionID
			sessionFetch(f, 12, sid, 1, nil)
			id := sid
			if tc.otherID {
				id = sid + 1
			}
			resp := sessionFetch(f, tc.version, id, tc.epoch, nil)
			if resp.ErrorCode != tc.code {
				t.Fatalf("code %d, want %d", resp.ErrorCode, tc.code)
			}
			if tc.code != 0 && (resp.SessionID != 0 || len(resp.Topics) != 0) {
				t.Fatalf("session error with session %d and %d topics, want neither", resp.SessionID, len(resp.Topics))
			}
			next := int32(2)
			if tc.code == 0 && tc.epoch == 2 {
				next = 3
			}
			after := sessionFetch(f, 12, sid, next, nil)
			if closed := after.ErrorCode == kerr.FetchSessionIDNotFound.Code; closed != tc.closes || (!closed && after.ErrorCode != 0) {
				t.Fatalf("next fetch at epoch %d: code %d, want session closed %v", next, after.ErrorCode, tc.closes)
			}
		})
	}
}

// TestFetchSessionErrorsAlwaysAnswered: a partition with an error is in
// every incremental response, and again once the error clears.
func TestFetchSessionErrorsAlwaysAnswered(t *testing.T) {
	f, _ := sessionFixture(t, 10)
	sid := sessionFetch(f, 12, 0, 0, []fetchPart{{topic: "t", epoch: -1}}).SessionID
	f.topic("t", part{leader: 2, epoch: 1, replicas: []int32{self, 2}}, part{leader: self, replicas: []int32{self}})
	for epoch := int32(1); epoch <= 2; epoch++ {
		resp := sessionFetch(f, 12, sid, epoch, nil)
		if len(resp.Topics) != 1 || resp.Topics[0].Partitions[0].ErrorCode != kerr.NotLeaderForPartition.Code {
			t.Fatalf("epoch %d: %+v, want t-0 with NOT_LEADER_OR_FOLLOWER", epoch, resp.Topics)
		}
	}
	f.topic("t", part{leader: self, epoch: 2, replicas: []int32{self, 2}}, part{leader: self, replicas: []int32{self}})
	if resp := sessionFetch(f, 12, sid, 3, nil); !slices.Equal(answered(resp), []string{"0:0:false"}) {
		t.Fatalf("after the error: %v, want t-0 sent again", answered(resp))
	}
}

// TestFetchSessionFollower: a follower's session reads to the log end and
// its incremental responses carry the high watermark it has not been told.
func TestFetchSessionFollower(t *testing.T) {
	f, _ := sessionFixture(t, 10)
	f.topic("r", part{leader: self, replicas: []int32{self, 2}})
	follower := func(id, epoch int32, offset int64, parts bool) *kmsg.FetchResponse {
		req := followerFetch(2, "r", 0, offset)
		req.SessionID, req.SessionEpoch = id, epoch
		if !parts {
			req.Topics = nil
		}
		return f.call(req).(*kmsg.FetchResponse)
	}
	full := follower(0, 0, 0, true)
	if full.SessionID == 0 {
		t.Fatal("no session for the follower")
	}
	f.produce("r", 0, batch(1000, "a"))
	if got := answered(follower(full.SessionID, 1, 0, false)); !slices.Equal(got, []string{"0:0:true"}) {
		t.Fatalf("after a produce: %v, want the record below high watermark 0", got)
	}
	// The follower's fetch at offset 1 moves the high watermark to 1.
	if got := answered(follower(full.SessionID, 2, 1, true)); !slices.Equal(got, []string{"0:1:false"}) {
		t.Fatalf("caught up: %v, want the new high watermark", got)
	}
	if got := answered(follower(full.SessionID, 3, 1, false)); len(got) != 0 {
		t.Fatalf("nothing new: %v, want no partition", got)
	}
}
