package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/server"
	"github.com/kqhq/kq/daemon/kafkazk"
)

// DescribeUserScramCredentials v0: each user's SCRAM mechanisms and
// iteration counts, never the keys, read from /config/users as Kafka's
// ZkAdminManager does. No users listed describes every user with a
// credential, in name order.
func (h *Handler) describeUserScramCredentials(ctx context.Context, _ *server.Request, req *kmsg.DescribeUserSCRAMCredentialsRequest) (kmsg.Response, error) {
	resp := req.ResponseKind().(*kmsg.DescribeUserSCRAMCredentialsResponse)
	if len(req.Users) == 0 {
		users, err := h.deps.Users.Users(ctx)
		if err != nil {
			h.log.Warn("describe user SCRAM credentials: list users", "err", err)
			resp.ErrorCode, resp.ErrorMessage = kerr.UnknownServerError.Code, strPtr("Error processing describe user SCRAM credential configs request")
			return resp, nil
		}
		for _, u := range users {
			if r, has := h.describeUser(ctx, u, false); has {
				resp.Results = append(resp.Results, r)
			}
		}
		return resp, nil
	}
	seen := map[string]int{}
	for _, u := range req.Users {
		seen[u.Name]++
	}
	done := map[string]bool{}
	for _, u := range req.Users {
		if done[u.Name] {
			continue
		}
		done[u.Name] = true
		resp.Results = append(resp.Results, h.describeRequested(ctx, u.Name, seen[u.Name] > 1))
	}
	return resp, nil
}

// describeRequested describes a user named in the request, with Kafka's
// errors for empty and repeated names and users without credentials.
func (h *Handler) describeRequested(ctx context.Context, user string, repeated bool) kmsg.DescribeUserSCRAMCredentialsResponseResult {
	r := kmsg.NewDescribeUserSCRAMCredentialsResponseResult()
	r.User = user
	switch {
	case user == "":
		r.ErrorCode, r.ErrorMessage = kerr.ResourceNotFound.Code, strPtr("Username must not be empty")
	case repeated:
		r.ErrorCode = kerr.DuplicateResource.Code
		r.ErrorMessage = strPtr("Cannot describe SCRAM credentials for the same user twice in a single request: " + user)
	default:
		r, _ = h.describeUser(ctx, user, true)
	}
	return r
}

// describeUser reads one user's credentials; has is false when the user
// has none (then, if explicit, the result carries RESOURCE_NOT_FOUND).
func (h *Handler) describeUser(ctx context.Context, user string, explicit bool) (kmsg.DescribeUserSCRAMCredentialsResponseResult, bool) {
	r := kmsg.NewDescribeUserSCRAMCredentialsResponseResult()
	r.User = user
	cfg, err := h.deps.Users.UserConfig(ctx, user)
	if err != nil {
		h.log.Warn("describe user SCRAM credentials", "user", user, "err", err)
		r.ErrorCode, r.ErrorMessage = kerr.UnknownServerError.Code, strPtr("Error processing describe user SCRAM credential configs request")
		return r, true
	}
	for _, m := range kafkazk.ScramMechanisms {
		v, ok := cfg[m.Name]
		if !ok {
			continue
		}
		cred, err := kafkazk.ParseScramCredential(v)
		if err != nil {
			r.ErrorCode, r.ErrorMessage = kerr.UnknownServerError.Code, strPtr("Error processing describe user SCRAM credential configs request")
			r.CredentialInfos = nil
			return r, true
		}
		info := kmsg.NewDescribeUserSCRAMCredentialsResponseResultCredentialInfo()
		info.Mechanism, info.Iterations = m.Type, cred.Iterations
		r.CredentialInfos = append(r.CredentialInfos, info)
	}
	if len(r.CredentialInfos) > 0 || !explicit {
		return r, len(r.CredentialInfos) > 0
	}
	r.ErrorCode = kerr.ResourceNotFound.Code
	r.ErrorMessage = strPtr("Attempt to describe a user credential that does not exist: " + user)
	return r, explicit
}

func strPtr(s string) *string { return &s }
