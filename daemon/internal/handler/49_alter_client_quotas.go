package handler

import (
	"context"
	"math"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/kafkaerr"
	"github.com/kqhq/kq/daemon/internal/server"
	"github.com/kqhq/kq/daemon/kafkazk"
)

// AlterClientQuotas v0-1: sets or removes quota keys of user, client-id
// and user+client-id entities (<default> as a null name) in their
// /config/users and /config/clients nodes, as Kafka's ZkAdminManager does:
// each entry succeeds or fails whole, keys it does not name (a user's
// SCRAM credentials) are kept, and every broker reloads the entity from
// the change notification.
func (h *Handler) alterClientQuotas(ctx context.Context, _ *server.Request, body *kmsg.AlterClientQuotasRequest) (kmsg.Response, error) {
	resp := body.ResponseKind().(*kmsg.AlterClientQuotasResponse)
	for _, entry := range body.Entries {
		r := kmsg.NewAlterClientQuotasResponseEntry()
		var components []quotaComponent
		for _, c := range entry.Entity {
			re := kmsg.NewAlterClientQuotasResponseEntryEntity()
			re.Type, re.Name = c.Type, c.Name
			r.Entity = append(r.Entity, re)
			components = append(components, quotaComponent{typ: c.Type, name: c.Name})
		}
		err := h.alterQuotaEntity(ctx, components, entry.Ops, body.ValidateOnly)
		r.ErrorCode, r.ErrorMessage = kafkaerr.Code(err), errorMessage(err)
		if err != nil && r.ErrorCode == kerr.UnknownServerError.Code {
			h.log.Warn("alter client quotas", "err", err)
		}
		resp.Entries = append(resp.Entries, r)
	}
	return resp, nil
}

func (h *Handler) alterQuotaEntity(ctx context.Context, components []quotaComponent, ops []kmsg.AlterClientQuotasRequestEntryOp, validateOnly bool) error {
	e, err := quotaEntityOf(components)
	if err != nil {
		return err
	}
	if err := validateQuotaOps(ops); err != nil {
		return err
	}
	if validateOnly {
		return nil
	}
	typ, name, err := kafkazk.QuotaEntityPath(e.User, e.ClientID)
	if err != nil {
		return kafkaErrorf(kerr.InvalidRequest, "Invalid client quota entity")
	}
	return h.deps.QuotaStore.UpdateEntityConfig(ctx, typ, name, func(cfg map[string]string) error {
		for _, op := range ops {
			if op.Remove {
				delete(cfg, op.Key)
				continue
			}
			cfg[op.Key] = quotaValueString(op.Key, op.Value)
		}
		return nil
	})
}

// validateQuotaOps refuses unknown keys, fractional values of LONG keys
// (Kafka's messages) and, where Kafka's ZooKeeper mode would store them,
// negative and non-finite values, which would throttle a client forever.
func validateQuotaOps(ops []kmsg.AlterClientQuotasRequestEntryOp) error {
	for _, op := range ops {
		if op.Remove {
			continue
		}
		isLong, ok := quotaKeyType(op.Key)
		if !ok {
			return kafkaErrorf(kerr.InvalidRequest, "Invalid configuration key %s", op.Key)
		}
		if math.IsNaN(op.Value) || math.IsInf(op.Value, 0) || op.Value < 0 {
			return kafkaErrorf(kerr.InvalidRequest, "Invalid value %v for configuration %s: must be a non-negative number", op.Value, op.Key)
		}
		if isLong && math.Abs(float64(int64(op.Value+1e-6))-op.Value) > 1e-6 {
			return kafkaErrorf(kerr.InvalidRequest, "Configuration %s must be a LONG value", op.Key)
		}
	}
	return nil
}
