package handler_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/controller"
)

func electReq(version int16, typ int8, timeoutMs int32, topics map[string][]int32) *kmsg.ElectLeadersRequest {
	req := kmsg.NewPtrElectLeadersRequest()
	req.Version, req.ElectionType, req.TimeoutMillis = version, typ, timeoutMs
	if topics != nil {
		req.Topics = []kmsg.ElectLeadersRequestTopic{}
	}
	for _, name := range []string{"t", "u", "nosuch"} {
		if ps, ok := topics[name]; ok {
			rt := kmsg.NewElectLeadersRequestTopic()
			rt.Topic, rt.Partitions = name, ps
			req.Topics = append(req.Topics, rt)
		}
	}
	return req
}

// electionCodes flattens a response to "topic-partition" -> error code.
func electionCodes(resp *kmsg.ElectLeadersResponse) map[string]int16 {
	out := map[string]int16{}
	for _, t := range resp.Topics {
		for _, p := range t.Partitions {
			out[fmt.Sprintf("%s-%d", t.Topic, p.Partition)] = p.ErrorCode
		}
	}
	return out
}

func TestElectLeaders(t *testing.T) {
	tp := func(topic string, p int32) controller.TopicPartition {
		return controller.TopicPartition{Topic: topic, Partition: p}
	}
	results := map[controller.TopicPartition]controller.ElectionResult{
		tp("t", 0):      {Leader: 2},                                        // elected; the cache shows it
		tp("t", 1):      {Leader: 1, Err: kerr.ElectionNotNeeded},           // preferred already leads
		tp("u", 0):      {Leader: 1, Err: kerr.PreferredLeaderNotAvailable}, // preferred out of the ISR
		tp("nosuch", 0): {Leader: -1, Err: kerr.UnknownTopicOrPartition},    // no such partition
	}
	notShown := map[controller.TopicPartition]controller.ElectionResult{tp("t", 0): {Leader: 3}}
	tests := []struct {
		name      string
		req       *kmsg.ElectLeadersRequest
		ctl       *fakeController
		noCtl     bool
		wantTop   int16
		want      map[string]int16
		wantType  controller.ElectionType
		wantParts []controller.TopicPartition // nil: every partition
	}{
		{name: "named partitions", req: electReq(2, 0, 5000, map[string][]int32{"t": {0, 1, 1}, "u": {0}, "nosuch": {0}}),
			ctl:       &fakeController{results: results},
			want:      map[string]int16{"t-0": 0, "t-1": kerr.ElectionNotNeeded.Code, "u-0": kerr.PreferredLeaderNotAvailable.Code, "nosuch-0": kerr.UnknownTopicOrPartition.Code},
			wantParts: []controller.TopicPartition{tp("t", 0), tp("t", 1), tp("u", 0), tp("nosuch", 0)}},
		{name: "every partition: no-ops left out", req: electReq(1, 1, 5000, nil), ctl: &fakeController{results: results},
			want:     map[string]int16{"t-0": 0, "u-0": kerr.PreferredLeaderNotAvailable.Code, "nosuch-0": kerr.UnknownTopicOrPartition.Code},
			wantType: controller.UncleanElection},
		{name: "v0 is always preferred", req: electReq(0, 1, 5000, map[string][]int32{"t": {1}}),
			ctl:  &fakeController{results: map[controller.TopicPartition]controller.ElectionResult{tp("t", 1): results[tp("t", 1)]}},
			want: map[string]int16{"t-1": kerr.ElectionNotNeeded.Code}, wantParts: []controller.TopicPartition{tp("t", 1)}},
		{name: "elected leader not seen in time", req: electReq(2, 0, 30, map[string][]int32{"t": {0}}), ctl: &fakeController{results: notShown},
			want: map[string]int16{"t-0": kerr.RequestTimedOut.Code}, wantParts: []controller.TopicPartition{tp("t", 0)}},
		{name: "not the controller", req: electReq(2, 0, 5000, map[string][]int32{"t": {0}}), ctl: &fakeController{err: controller.ErrNotController},
			wantTop: kerr.NotController.Code, want: map[string]int16{"t-0": kerr.NotController.Code}, wantParts: []controller.TopicPartition{tp("t", 0)}},
		{name: "not the controller, v0: per partition only", req: electReq(0, 0, 5000, map[string][]int32{"t": {0}}), ctl: &fakeController{err: controller.ErrNotController},
			want: map[string]int16{"t-0": kerr.NotController.Code}, wantParts: []controller.TopicPartition{tp("t", 0)}},
		{name: "no controller, every partition", req: electReq(1, 0, 5000, nil), noCtl: true,
			wantTop: kerr.NotController.Code, want: map[string]int16{"t-0": kerr.NotController.Code, "t-1": kerr.NotController.Code, "u-0": kerr.NotController.Code}},
		{name: "unknown election type", req: electReq(1, 7, 5000, map[string][]int32{"t": {0}}), ctl: &fakeController{},
			wantTop: kerr.InvalidRequest.Code, want: map[string]int16{"t-0": kerr.InvalidRequest.Code}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.topic("t", part{leader: 2, replicas: []int32{1, 2}}, part{leader: 1, replicas: []int32{1, 2}})
			f.topic("u", part{leader: 2, replicas: []int32{1, 2}, isr: []int32{2}})
			if tt.noCtl {
				withController(f, nil)
			} else {
				withController(f, tt.ctl)
			}
			resp := f.call(tt.req).(*kmsg.ElectLeadersResponse)
			if resp.ErrorCode != tt.wantTop {
				t.Errorf("top-level error %d, want %d", resp.ErrorCode, tt.wantTop)
			}
			got := electionCodes(resp)
			if len(got) != len(tt.want) {
				t.Fatalf("partitions %v, want %v", got, tt.want)
			}
			for k, code := range tt.want {
				if c, ok := got[k]; !ok || c != code {
					t.Errorf("%s: error %d (present %v), want %d", k, c, ok, code)
				}
			}
			if tt.ctl == nil || tt.ctl.calls == 0 {
				return
			}
			if tt.ctl.gotType != tt.wantType || (tt.ctl.gotParts == nil) != (tt.wantParts == nil) || !slices.Equal(tt.ctl.gotParts, tt.wantParts) {
				t.Errorf("controller asked %v %v, want %v %v", tt.ctl.gotType, tt.ctl.gotParts, tt.wantType, tt.wantParts)
			}
		})
	}
}
