package handler_test

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// TestLeaderHints: KIP-951 tells a client refused with NOT_LEADER_OR_FOLLOWER
// (or FENCED_LEADER_EPOCH on fetch) who leads now and where it listens, from
// Produce v10 and Fetch v16.
func TestLeaderHints(t *testing.T) {
	tests := []struct {
		name     string
		version  int16
		listener string
		topic    string
		epoch    int32 // fetch's current leader epoch
		leader   int32 // want CurrentLeader.LeaderID (-1: none sent)
		lEpoch   int32
		nodes    []kmsg.ProduceResponseBroker
	}{
		{name: "led by 2", version: -1, topic: "on2", epoch: -1, leader: 2, lEpoch: 4,
			nodes: []kmsg.ProduceResponseBroker{{NodeID: 2, Host: "localhost", Port: 9092}}},
		{name: "leader not on the listener", version: -1, listener: "EXTERNAL", topic: "on3", epoch: -1, leader: 3, lEpoch: 1},
		{name: "older versions carry no hint", version: -2, topic: "on2", epoch: -1, leader: -1, lEpoch: -1},
		{name: "fenced epoch here", version: -1, topic: "here", epoch: 1, leader: self, lEpoch: 6,
			nodes: []kmsg.ProduceResponseBroker{{NodeID: 1, Host: "localhost", Port: 9091}}},
	}
	f := newFixture(t)
	f.topic("on2", part{leader: 2, epoch: 4, replicas: []int32{2, self}})
	f.topic("on3", part{leader: 3, epoch: 1, replicas: []int32{3, self}})
	f.topic("here", part{leader: self, epoch: 6, replicas: []int32{self}})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			listener := tc.listener
			if listener == "" {
				listener = "PLAINTEXT"
			}
			fetch := fetchReq(0, 1, 1<<20, fetchPart{topic: tc.topic, topicID: f.topicID(tc.topic), epoch: tc.epoch})
			fetch.Version = map[int16]int16{-1: 16, -2: 15}[tc.version]
			fr := f.callOn(listener, fetch).(*kmsg.FetchResponse)
			fp := fr.Topics[0].Partitions[0]
			if fp.CurrentLeader.LeaderID != tc.leader || fp.CurrentLeader.LeaderEpoch != tc.lEpoch || len(fr.Brokers) != len(tc.nodes) {
				t.Fatalf("fetch: code %d leader %+v brokers %+v, want %d@%d and %+v", fp.ErrorCode, fp.CurrentLeader, fr.Brokers, tc.leader, tc.lEpoch, tc.nodes)
			}
			for i, n := range tc.nodes {
				if b := fr.Brokers[i]; b.NodeID != n.NodeID || b.Host != n.Host || b.Port != n.Port {
					t.Errorf("fetch: broker %+v, want %+v", b, n)
				}
			}
			if tc.epoch >= 0 {
				return // produce has no leader epoch to be fenced by
			}
			produce := produceReq(1, tc.topic, 0, batch(1000, "a"))
			produce.Version = map[int16]int16{-1: 10, -2: 9}[tc.version]
			pr := f.callOn(listener, produce).(*kmsg.ProduceResponse)
			pp := pr.Topics[0].Partitions[0]
			if pp.CurrentLeader.LeaderID != tc.leader || pp.CurrentLeader.LeaderEpoch != tc.lEpoch || len(pr.Brokers) != len(tc.nodes) {
				t.Fatalf("produce: code %d leader %+v brokers %+v, want %d@%d and %+v", pp.ErrorCode, pp.CurrentLeader, pr.Brokers, tc.leader, tc.lEpoch, tc.nodes)
			}
			for i, n := range tc.nodes {
				if b := pr.Brokers[i]; b.NodeID != n.NodeID || b.Host != n.Host || b.Port != n.Port {
					t.Errorf("produce: broker %+v, want %+v", b, n)
				}
			}
		})
	}
}
