package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/server"
)

// endpointTypeBroker is DescribeCluster's endpoint type of brokers (KIP-919);
// KRaft controllers, which kq does not have, are 2.
const endpointTypeBroker = 1

// DescribeCluster v0-1: the cluster id, the controller and the live brokers
// on the request's listener. A v1 request for another endpoint type gets
// MISMATCHED_ENDPOINT_TYPE, as from any Kafka broker. Asked for, the
// cluster's authorized operations are the principal's (none without
// Describe on the cluster).
func (h *Handler) describeCluster(_ context.Context, req *server.Request, body *kmsg.DescribeClusterRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.DescribeClusterResponse)
	resp.EndpointType = endpointTypeBroker
	if body.Version >= 1 && body.EndpointType != endpointTypeBroker {
		resp.ErrorCode = kerr.MismatchedEndpointType.Code
		resp.ErrorMessage = kmsg.StringPtr("the request was sent to an endpoint of type BROKER")
		return resp, nil
	}
	snap := h.deps.Cache.Load()
	resp.ClusterID = snap.ClusterID
	resp.ControllerID = snap.ControllerID
	resp.ClusterAuthorizedOperations = h.clusterOperations(req, body.IncludeClusterAuthorizedOperations)
	for _, b := range metadataBrokers(snap, req.Conn.Listener) {
		resp.Brokers = append(resp.Brokers, kmsg.DescribeClusterResponseBroker{
			NodeID: b.NodeID, Host: b.Host, Port: b.Port, Rack: b.Rack,
		})
	}
	return resp, nil
}
