package handler_test

import (
	"slices"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/handler"
)

func deleteTopicsReq(version int16, names ...string) *kmsg.DeleteTopicsRequest {
	req := kmsg.NewPtrDeleteTopicsRequest()
	req.Version, req.TimeoutMillis = version, int32(testTimeout.Milliseconds())
	for _, n := range names {
		req.TopicNames = append(req.TopicNames, n)
		rt := kmsg.NewDeleteTopicsRequestTopic()
		rt.Topic = kmsg.StringPtr(n)
		req.Topics = append(req.Topics, rt)
	}
	return req
}

func deleteTopicsByID(ids ...[16]byte) *kmsg.DeleteTopicsRequest {
	req := deleteTopicsReq(6)
	for _, id := range ids {
		rt := kmsg.NewDeleteTopicsRequestTopic()
		rt.TopicID = id
		req.Topics = append(req.Topics, rt)
	}
	return req
}

func TestDeleteTopics(t *testing.T) {
	tests := []struct {
		name       string
		req        func(f *fixture) *kmsg.DeleteTopicsRequest
		disabled   bool
		controller bool
		codes      []int16
		deleted    []string
	}{
		{name: "by name", controller: true, codes: []int16{0}, deleted: []string{"t"},
			req: func(*fixture) *kmsg.DeleteTopicsRequest { return deleteTopicsReq(5, "t") }},
		{name: "v0", controller: true, codes: []int16{0}, deleted: []string{"t"},
			req: func(*fixture) *kmsg.DeleteTopicsRequest { return deleteTopicsReq(0, "t") }},
		{name: "by id", controller: true, codes: []int16{0}, deleted: []string{"t"},
			req: func(f *fixture) *kmsg.DeleteTopicsRequest { return deleteTopicsByID(f.topicID("t")) }},
		{name: "unknown name", codes: []int16{kerr.UnknownTopicOrPartition.Code},
			req: func(*fixture) *kmsg.DeleteTopicsRequest { return deleteTopicsReq(5, "nope") }},
		{name: "unknown id", codes: []int16{kerr.UnknownTopicID.Code},
			req: func(*fixture) *kmsg.DeleteTopicsRequest { return deleteTopicsByID([16]byte{0xEE}) }},
		{name: "name and id together", codes: []int16{kerr.InvalidRequest.Code, kerr.InvalidRequest.Code},
			req: func(f *fixture) *kmsg.DeleteTopicsRequest {
				req := deleteTopicsReq(6, "t", "u")
				req.Topics[0].TopicID = f.topicID("t")
				return req
			}},
		{name: "internal", codes: []int16{kerr.PolicyViolation.Code},
			req: func(*fixture) *kmsg.DeleteTopicsRequest { return deleteTopicsReq(5, "__consumer_offsets") }},
		{name: "disabled", disabled: true, codes: []int16{kerr.TopicDeletionDisabled.Code},
			req: func(*fixture) *kmsg.DeleteTopicsRequest { return deleteTopicsReq(3, "t") }},
		{name: "disabled before v3", disabled: true, codes: []int16{kerr.InvalidRequest.Code},
			req: func(*fixture) *kmsg.DeleteTopicsRequest { return deleteTopicsReq(2, "t") }},
		{name: "controller never acts", codes: []int16{kerr.RequestTimedOut.Code}, deleted: []string{"t"},
			req: func(*fixture) *kmsg.DeleteTopicsRequest {
				req := deleteTopicsReq(5, "t")
				req.TimeoutMillis = 20
				return req
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			if tc.controller {
				f.actAsController()
			}
			f.setSettings(func(s *handler.Settings) { s.DeleteTopicEnable = !tc.disabled })
			f.topic("t", ledHere(1)...)
			f.topic("u", ledHere(1)...)
			f.topic("__consumer_offsets", ledHere(1)...)
			resp := f.call(tc.req(f)).(*kmsg.DeleteTopicsResponse)
			var codes []int16
			for _, rt := range resp.Topics {
				codes = append(codes, rt.ErrorCode)
			}
			if !slices.Equal(codes, tc.codes) {
				t.Fatalf("codes %v, want %v", codes, tc.codes)
			}
			if got := f.admin.deletedTopics(); !slices.Equal(got, tc.deleted) {
				t.Fatalf("deleted %v, want %v", got, tc.deleted)
			}
			if tc.controller && len(tc.deleted) > 0 {
				if rt := resp.Topics[0]; rt.Topic == nil || *rt.Topic != "t" {
					t.Errorf("response names %v, want t", rt.Topic)
				}
				if _, ok := f.cache.Load().Topic("t"); ok {
					t.Error("answered before the topic left the cache")
				}
			}
		})
	}
}
