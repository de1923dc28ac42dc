package handler_test

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

func TestDescribeCluster(t *testing.T) {
	tests := []struct {
		listener string
		brokers  []int32
	}{
		{listener: "PLAINTEXT", brokers: []int32{1, 2, 3}},
		{listener: "EXTERNAL", brokers: []int32{1, 2}},
	}
	f := newFixture(t)
	for _, tc := range tests {
		req := kmsg.NewPtrDescribeClusterRequest()
		req.Version = 1
		resp := f.callOn(tc.listener, req).(*kmsg.DescribeClusterResponse)
		if resp.ErrorCode != 0 || resp.ClusterID != "test-cluster" || resp.ControllerID != self || resp.EndpointType != 1 {
			t.Fatalf("%s: %+v", tc.listener, resp)
		}
		var ids []int32
		for _, b := range resp.Brokers {
			ids = append(ids, b.NodeID)
		}
		if len(ids) != len(tc.brokers) {
			t.Fatalf("%s: brokers %v, want %v", tc.listener, ids, tc.brokers)
		}
		for i := range ids {
			if ids[i] != tc.brokers[i] {
				t.Errorf("%s: brokers %v, want %v", tc.listener, ids, tc.brokers)
			}
		}
	}
}

func TestDescribeClusterControllerEndpoints(t *testing.T) {
	f := newFixture(t)
	req := kmsg.NewPtrDescribeClusterRequest()
	req.Version, req.EndpointType = 1, 2 // KRaft controllers
	resp := f.call(req).(*kmsg.DescribeClusterResponse)
	if resp.ErrorCode != kerr.MismatchedEndpointType.Code || len(resp.Brokers) != 0 {
		t.Fatalf("code %d with %d brokers, want MISMATCHED_ENDPOINT_TYPE and none", resp.ErrorCode, len(resp.Brokers))
	}
}
