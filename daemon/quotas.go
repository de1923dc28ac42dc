package daemon

import (
	"context"

	"github.com/kqhq/kq/daemon/internal/quota"
	"github.com/kqhq/kq/daemon/kafkazk"
)

// Client quotas: every broker reads all user and client-id entities when
// its session starts and each one again when a change notification names
// it, so limits apply on every broker without a restart, as in Kafka.

// loadQuotas reads every quota entity into the manager, replacing what a
// previous session read.
func (d *Daemon) loadQuotas(ctx context.Context, zk *kafkazk.Client) {
	all, err := zk.QuotaEntityConfigs(ctx)
	if err != nil {
		d.log.Warn("client quotas not loaded", "err", err)
		return
	}
	entities := make(map[quota.Entity]map[string]string, len(all))
	for _, e := range all {
		entities[quota.Entity{User: e.User, ClientID: e.ClientID}] = e.Config
	}
	if err := d.quotas.Replace(entities); err != nil {
		d.log.Warn("ignoring malformed client quotas", "err", err)
	}
}

// reloadQuota applies one changed users or clients entity.
func (d *Daemon) reloadQuota(ctx context.Context, zk *kafkazk.Client, c kafkazk.ConfigChange) {
	user, client, ok := kafkazk.ParseQuotaEntity(c.EntityType, c.Name)
	if !ok {
		d.log.Warn("ignoring config change of an unknown quota entity", "type", c.EntityType, "name", c.Name)
		return
	}
	cfg, err := zk.EntityConfig(ctx, c.EntityType, c.Name)
	if err != nil {
		d.log.Warn("reload client quota", "entity", c.EntityType+"/"+c.Name, "err", err)
		return
	}
	e := quota.Entity{User: user, ClientID: client}
	if err := d.quotas.Set(e, cfg); err != nil {
		d.log.Warn("ignoring malformed client quota", "entity", e.String(), "err", err)
	}
	d.log.Info("client quota updated", "entity", e.String())
}

// QuotaEntityConfigs and UpdateEntityConfig serve AlterClientQuotas and
// DescribeClientQuotas on the current session.
func (s *currentSession) QuotaEntityConfigs(ctx context.Context) ([]kafkazk.QuotaEntityConfig, error) {
	return s.client().QuotaEntityConfigs(ctx)
}

func (s *currentSession) UpdateEntityConfig(ctx context.Context, entityType, name string, update func(map[string]string) error) error {
	return s.client().UpdateEntityConfig(ctx, entityType, name, update)
}
