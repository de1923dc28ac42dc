package handler_test

import (
	"math"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// Without an authorizer Kafka reports every operation a resource supports:
// READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS and
// ALTER_CONFIGS on a topic; CREATE, ALTER, DESCRIBE, CLUSTER_ACTION,
// DESCRIBE_CONFIGS, ALTER_CONFIGS and IDEMPOTENT_WRITE on the cluster.
const (
	allTopicOperations   int32 = 3576
	allClusterOperations int32 = 8096
	omitted              int32 = math.MinInt32
)

func TestMetadataAuthorizedOperations(t *testing.T) {
	tests := []struct {
		name                 string
		version              int16
		topicOps, clusterOps bool
		wantTopic            int32
		wantCluster          int32
	}{
		{name: "v7 has no such fields", version: 7, topicOps: true, clusterOps: true, wantTopic: omitted, wantCluster: omitted},
		{name: "v8 not asked", version: 8, wantTopic: omitted, wantCluster: omitted},
		{name: "v8 topic only", version: 8, topicOps: true, wantTopic: allTopicOperations, wantCluster: omitted},
		{name: "v10 both", version: 10, topicOps: true, clusterOps: true, wantTopic: allTopicOperations, wantCluster: allClusterOperations},
		{name: "v11 cluster moved to DescribeCluster", version: 11, topicOps: true, clusterOps: true, wantTopic: allTopicOperations, wantCluster: omitted},
		{name: "v12 topic", version: 12, topicOps: true, wantTopic: allTopicOperations, wantCluster: omitted},
	}
	f := metadataFixture(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := metadataReq(tc.version, "a", "missing")
			req.AllowAutoTopicCreation = false
			req.IncludeTopicAuthorizedOperations, req.IncludeClusterAuthorizedOperations = tc.topicOps, tc.clusterOps
			resp := f.call(req).(*kmsg.MetadataResponse)
			if resp.AuthorizedOperations != tc.wantCluster {
				t.Errorf("cluster operations %d, want %d", resp.AuthorizedOperations, tc.wantCluster)
			}
			for _, rt := range resp.Topics { // an unknown topic too, as in Kafka
				if rt.AuthorizedOperations != tc.wantTopic {
					t.Errorf("topic %s operations %d, want %d", *rt.Topic, rt.AuthorizedOperations, tc.wantTopic)
				}
			}
		})
	}
}

func TestMetadataUnknownTopicIDHasNoOperations(t *testing.T) {
	f := metadataFixture(t)
	req := metadataReq(12)
	rt := kmsg.NewMetadataRequestTopic()
	rt.TopicID = [16]byte{0xEE}
	req.Topics = append(req.Topics, rt)
	req.IncludeTopicAuthorizedOperations = true
	resp := f.call(req).(*kmsg.MetadataResponse)
	if got := resp.Topics[0].AuthorizedOperations; got != omitted {
		t.Fatalf("operations %d, want omitted", got)
	}
}

func TestDescribeClusterAuthorizedOperations(t *testing.T) {
	f := newFixture(t)
	for _, asked := range []bool{false, true} {
		req := kmsg.NewPtrDescribeClusterRequest()
		req.Version, req.IncludeClusterAuthorizedOperations = 0, asked
		resp := f.call(req).(*kmsg.DescribeClusterResponse)
		want := omitted
		if asked {
			want = allClusterOperations
		}
		if resp.ClusterAuthorizedOperations != want {
			t.Errorf("asked %v: operations %d, want %d", asked, resp.ClusterAuthorizedOperations, want)
		}
	}
}
