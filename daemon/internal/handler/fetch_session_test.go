package handler_test

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
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
