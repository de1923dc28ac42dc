package handler

import (
	"context"
	"maps"
	"slices"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/server"
	"github.com/kqhq/kq/daemon/kafkazk"
)

// AlterUserScramCredentials v0, as Kafka's ZkAdminManager: served by the
// controller only (NOT_CONTROLLER elsewhere); each user's deletions and
// upsertions are checked (empty name, unknown mechanism, iterations within
// 4096..16384, a mechanism altered twice, deleting a credential that does
// not exist), then the user's /config/users znode is rewritten with a
// change notification, so every broker's credential cache follows. The
// client sends a salt and salted password, never the password; the broker
// stores only the derived StoredKey and ServerKey.
func (h *Handler) alterUserScramCredentials(ctx context.Context, _ *server.Request, req *kmsg.AlterUserSCRAMCredentialsRequest) (kmsg.Response, error) {
	resp := req.ResponseKind().(*kmsg.AlterUserSCRAMCredentialsResponse)
	if h.deps.Cache.Load().ControllerID != h.deps.BrokerID {
		for _, u := range alterUsers(req) {
			resp.Results = append(resp.Results, alterResult(u, kerr.NotController, ""))
		}
		return resp, nil
	}
	failed := map[string]bool{}
	for _, u := range alterUsers(req) {
		if code, msg := checkAlter(req, u); code != nil {
			resp.Results = append(resp.Results, alterResult(u, code, msg))
			failed[u] = true
		}
	}
	for _, u := range alterUsers(req) {
		if !failed[u] {
			resp.Results = append(resp.Results, h.alterUser(ctx, req, u))
		}
	}
	return resp, nil
}

// alterUsers lists the users a request names, in first-seen order.
func alterUsers(req *kmsg.AlterUserSCRAMCredentialsRequest) []string {
	var users []string
	add := func(u string) {
		if !slices.Contains(users, u) {
			users = append(users, u)
		}
	}
	for _, d := range req.Deletions {
		add(d.Name)
	}
	for _, u := range req.Upsertions {
		add(u.Name)
	}
	return users
}

// checkAlter applies Kafka's checks to one user's changes.
func checkAlter(req *kmsg.AlterUserSCRAMCredentialsRequest, user string) (*kerr.Error, string) {
	if user == "" {
		return kerr.UnacceptableCredential, "Username must not be empty"
	}
	var mechs []int8
	for _, d := range req.Deletions {
		if d.Name == user {
			if _, ok := kafkazk.ScramMechanismOfType(d.Mechanism); !ok {
				return kerr.UnsupportedSaslMechanism, "Unknown SCRAM mechanism"
			}
			mechs = append(mechs, d.Mechanism)
		}
	}
	for _, u := range req.Upsertions {
		if u.Name != user {
			continue
		}
		if _, ok := kafkazk.ScramMechanismOfType(u.Mechanism); !ok {
			return kerr.UnsupportedSaslMechanism, "Unknown SCRAM mechanism"
		}
		switch {
		case u.Iterations < kafkazk.ScramMinIterations:
			return kerr.UnacceptableCredential, "Too few iterations"
		case u.Iterations > kafkazk.ScramMaxIterations:
			return kerr.UnacceptableCredential, "Too many iterations"
		case len(u.SaltedPassword) == 0 || len(u.Salt) == 0:
			return kerr.UnacceptableCredential, "Salt and salted password must not be empty"
		}
		mechs = append(mechs, u.Mechanism)
	}
	slices.Sort(mechs)
	if len(slices.Compact(slices.Clone(mechs))) != len(mechs) {
		return kerr.DuplicateResource, "A user credential cannot be altered twice in the same request"
	}
	return nil, ""
}

// alterUser applies one user's valid changes.
func (h *Handler) alterUser(ctx context.Context, req *kmsg.AlterUserSCRAMCredentialsRequest, user string) kmsg.AlterUserSCRAMCredentialsResponseResult {
	cfg, err := h.deps.Users.UserConfig(ctx, user)
	if err != nil {
		h.log.Warn("alter user SCRAM credentials: read", "user", user, "err", err)
		return alterResult(user, kerr.UnknownServerError, "")
	}
	cfg = maps.Clone(cfg) // the reader's map is not ours to change
	if cfg == nil {
		cfg = map[string]string{}
	}
	for _, d := range req.Deletions {
		if d.Name != user {
			continue
		}
		m, _ := kafkazk.ScramMechanismOfType(d.Mechanism)
		if _, ok := cfg[m.Name]; !ok {
			return alterResult(user, kerr.ResourceNotFound, "Attempt to delete a user credential that does not exist")
		}
		delete(cfg, m.Name)
	}
	for _, u := range req.Upsertions {
		if u.Name == user {
			m, _ := kafkazk.ScramMechanismOfType(u.Mechanism)
			cfg[m.Name] = m.Credential(u.SaltedPassword, u.Salt, u.Iterations).String()
		}
	}
	if err := h.deps.Users.SetUserConfig(ctx, user, cfg); err != nil {
		h.log.Warn("alter user SCRAM credentials: write", "user", user, "err", err)
		return alterResult(user, kerr.UnknownServerError, "")
	}
	return alterResult(user, nil, "")
}

func alterResult(user string, code *kerr.Error, msg string) kmsg.AlterUserSCRAMCredentialsResponseResult {
	r := kmsg.NewAlterUserSCRAMCredentialsResponseResult()
	r.User = user
	if code != nil {
		r.ErrorCode = code.Code
		if msg == "" {
			msg = code.Description
		}
		r.ErrorMessage = &msg
	}
	return r
}
