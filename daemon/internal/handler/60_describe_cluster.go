package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/server"
)

// DescribeCluster v0-1: the cluster id, the controller and the live brokers
// on the request's listener.
func (h *Handler) describeCluster(_ context.Context, req *server.Request, body *kmsg.DescribeClusterRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.DescribeClusterResponse)
	snap := h.deps.Cache.Load()
	resp.ClusterID = snap.ClusterID
	resp.ControllerID = snap.ControllerID
	resp.EndpointType = 1 // brokers
	for _, b := range metadataBrokers(snap, req.Conn.Listener) {
		resp.Brokers = append(resp.Brokers, kmsg.DescribeClusterResponseBroker{
			NodeID: b.NodeID, Host: b.Host, Port: b.Port, Rack: b.Rack,
		})
	}
	return resp, nil
}
