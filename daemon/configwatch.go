package daemon

import (
	"context"
	"strconv"
	"strings"

	"github.com/kqhq/kq/daemon/config"
	"github.com/kqhq/kq/daemon/kafkazk"
	"github.com/kqhq/kq/store/meta/znode"
)

// watchConfigs applies config change notifications (/config/changes) as
// they appear: topic overrides to the topic's logs, broker configs to the
// whole broker. Notifications older than the session are skipped: the
// state they describe was read at start-up.
func (d *Daemon) watchConfigs(ctx context.Context, zk *kafkazk.Client) {
	_, last, wake, err := zk.ConfigChanges(ctx, "")
	if err == nil { // changes before the session were missed: read every user anew
		err = d.loadCredentials(ctx, zk)
	}
	d.loadQuotas(ctx, zk) // after the mark, so no change in between is missed
	for ctx.Err() == nil {
		if err != nil {
			d.log.Warn("config change notifications unavailable", "err", err)
			return
		}
		select {
		case <-wake:
		case <-ctx.Done():
			return
		}
		var changes []kafkazk.ConfigChange
		changes, last, wake, err = zk.ConfigChanges(ctx, last)
		for _, c := range changes {
			d.applyConfigChange(ctx, zk, c)
		}
	}
}

func (d *Daemon) applyConfigChange(ctx context.Context, zk *kafkazk.Client, c kafkazk.ConfigChange) {
	switch c.EntityType {
	case "topics":
		if _, err := d.configs.reload(c.Name); err != nil {
			d.log.Warn("reload topic config", "topic", c.Name, "err", err)
			return
		}
		d.replica.UpdateLogConfig(c.Name)
		d.log.Info("topic config updated", "topic", c.Name)
	case "users":
		d.reloadQuota(ctx, zk, c)
		if strings.Contains(c.Name, "/") {
			return // users/<u>/clients/<c>: quotas only
		}
		user, err := znode.DesanitizeEntityName(c.Name)
		if err == nil {
			err = d.reloadUser(ctx, zk, user)
		}
		if err != nil {
			d.log.Warn("reload user credentials", "entity", c.Name, "err", err)
			return
		}
		d.log.Info("user credentials updated", "user", user)
	case "clients":
		d.reloadQuota(ctx, zk, c)
	case "brokers":
		if c.Name != "<default>" && c.Name != strconv.Itoa(int(d.cfg.BrokerID)) {
			return
		}
		if err := d.loadDynamicBrokerConfig(ctx, zk); err != nil {
			d.log.Warn("reload dynamic broker config", "err", err)
			return
		}
		seen := map[string]bool{}
		for _, p := range d.replica.All() {
			if !seen[p.Topic] {
				seen[p.Topic] = true
				d.replica.UpdateLogConfig(p.Topic)
			}
		}
		d.log.Info("dynamic broker config updated", "entity", c.Name)
	}
}

// setBroker swaps in a broker config with new dynamic values; every
// topic's effective config is recomputed, since topic defaults may follow.
func (c *configs) setBroker(b *config.Broker) {
	c.broker.Store(b)
	c.mu.Lock()
	topics := make([]string, 0, len(c.topics))
	for t := range c.topics {
		topics = append(topics, t)
	}
	c.topics = map[string]config.TopicConfig{}
	c.mu.Unlock()
	for _, t := range topics {
		_, _ = c.reload(t)
	}
}
