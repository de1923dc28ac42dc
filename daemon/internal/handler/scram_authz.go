package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/server"
)

// clusterOnly guards an API that needs op on the cluster, as KafkaApis
// guards DescribeUserScramCredentials (Describe) and
// AlterUserScramCredentials (Alter); refuse builds the answer with
// CLUSTER_AUTHORIZATION_FAILED.
func (h *Handler) clusterOnly(op kmsg.ACLOperation, serve serveFunc, refuse func(kmsg.Request) kmsg.Response) serveFunc {
	return func(ctx context.Context, req *server.Request) (*server.Response, error) {
		if !h.allowedCluster(req, op) {
			return &server.Response{Msg: refuse(req.Body)}, nil
		}
		return serve(ctx, req)
	}
}

func refuseDescribeScram(r kmsg.Request) kmsg.Response {
	resp := r.ResponseKind().(*kmsg.DescribeUserSCRAMCredentialsResponse)
	resp.ErrorCode = clusterDenied
	return resp
}

// refuseAlterScram fails each user named, once.
func refuseAlterScram(r kmsg.Request) kmsg.Response {
	body := r.(*kmsg.AlterUserSCRAMCredentialsRequest)
	resp := body.ResponseKind().(*kmsg.AlterUserSCRAMCredentialsResponse)
	seen := map[string]bool{}
	add := func(user string) {
		if seen[user] {
			return
		}
		seen[user] = true
		res := kmsg.NewAlterUserSCRAMCredentialsResponseResult()
		res.User, res.ErrorCode = user, clusterDenied
		resp.Results = append(resp.Results, res)
	}
	for _, d := range body.Deletions {
		add(d.Name)
	}
	for _, u := range body.Upsertions {
		add(u.Name)
	}
	return resp
}
