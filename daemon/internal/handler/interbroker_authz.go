package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/server"
)

// clusterActionOnly guards an inter-broker API (LeaderAndIsr, StopReplica,
// UpdateMetadata, ControlledShutdown, WriteTxnMarkers): only a principal
// with ClusterAction on the cluster (the brokers, through super.users or
// an ACL) is served; anyone else gets refuse's answer, Kafka's error
// response with CLUSTER_AUTHORIZATION_FAILED.
func (h *Handler) clusterActionOnly(serve serveFunc, refuse func(kmsg.Request) kmsg.Response) serveFunc {
	return func(ctx context.Context, req *server.Request) (*server.Response, error) {
		if !h.allowedCluster(req, opClusterAction) {
			return &server.Response{Msg: refuse(req.Body)}, nil
		}
		return serve(ctx, req)
	}
}

// clusterDenied is CLUSTER_AUTHORIZATION_FAILED.
var clusterDenied = kerr.ClusterAuthorizationFailed.Code

func refuseLeaderAndIsr(r kmsg.Request) kmsg.Response {
	body := r.(*kmsg.LeaderAndISRRequest)
	resp := body.ResponseKind().(*kmsg.LeaderAndISRResponse)
	resp.ErrorCode = clusterDenied
	for _, p := range leaderAndIsrPartitions(body) {
		addLeaderAndIsrResult(resp, p, clusterDenied)
	}
	return resp
}

func refuseStopReplica(r kmsg.Request) kmsg.Response {
	resp := r.ResponseKind().(*kmsg.StopReplicaResponse)
	resp.ErrorCode = clusterDenied
	return resp
}

func refuseUpdateMetadata(r kmsg.Request) kmsg.Response {
	resp := r.ResponseKind().(*kmsg.UpdateMetadataResponse)
	resp.ErrorCode = clusterDenied
	return resp
}

func refuseControlledShutdown(r kmsg.Request) kmsg.Response {
	resp := r.ResponseKind().(*kmsg.ControlledShutdownResponse)
	resp.ErrorCode = clusterDenied
	return resp
}

// refuseWriteTxnMarkers fails every partition of every marker.
func refuseWriteTxnMarkers(r kmsg.Request) kmsg.Response {
	body := r.(*kmsg.WriteTxnMarkersRequest)
	resp := body.ResponseKind().(*kmsg.WriteTxnMarkersResponse)
	for _, m := range body.Markers {
		rm := kmsg.NewWriteTxnMarkersResponseMarker()
		rm.ProducerID = m.ProducerID
		for _, t := range m.Topics {
			rt := kmsg.NewWriteTxnMarkersResponseMarkerTopic()
			rt.Topic = t.Topic
			for _, p := range t.Partitions {
				rp := kmsg.NewWriteTxnMarkersResponseMarkerTopicPartition()
				rp.Partition, rp.ErrorCode = p, clusterDenied
				rt.Partitions = append(rt.Partitions, rp)
			}
			rm.Topics = append(rm.Topics, rt)
		}
		resp.Markers = append(resp.Markers, rm)
	}
	return resp
}
