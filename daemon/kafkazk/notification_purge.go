package kafkazk

import (
	"context"
	"time"
)

// NotificationExpiry is how long a change notification (/config/changes,
// /kafka-acl-changes, /kafka-acl-extended-changes) is kept: Kafka's
// ZkNodeChangeNotificationListener deletes those older than 15 minutes
// each time it processes the list, so the directories hold only recent
// changes however long a cluster runs. A broker down longer than that
// misses none of them: it reads the whole state when it starts.
const NotificationExpiry = 15 * time.Minute

// purgeExpired purges the notifications created NotificationExpiry before
// the newest one. Age is measured on ZooKeeper's clock (the nodes'
// creation times) where Kafka uses the broker's: a broker whose wall clock
// jumps forward would otherwise delete notifications the other brokers
// have not read yet. The newest stays until a newer one comes.
func (c *Client) purgeExpired(ctx context.Context, dir string, names []string) {
	if len(names) < 2 {
		return
	}
	newest, ok, err := c.store.Exists(ctx, dir+"/"+names[len(names)-1])
	if err != nil || !ok {
		return // gone or unreadable: the next list tries again
	}
	c.purgeNotifications(ctx, dir, names[:len(names)-1], time.UnixMilli(newest.Ctime))
}

// purgeNotifications deletes the notifications under dir created more than
// NotificationExpiry before now, by their creation time. Every broker
// purges, as in Kafka: a node another broker deleted first is no error.
// Failures are logged, not returned: a notification left behind is only
// read again and skipped.
func (c *Client) purgeNotifications(ctx context.Context, dir string, names []string, now time.Time) {
	cutoff := now.Add(-NotificationExpiry).UnixMilli()
	for _, n := range names {
		path := dir + "/" + n
		st, ok, err := c.store.Exists(ctx, path)
		if err != nil {
			c.log.Warn("purge change notification", "path", path, "err", err)
			return
		}
		if !ok {
			continue
		}
		if st.Ctime >= cutoff {
			return // names are sequential: the rest are younger
		}
		if err := c.store.Delete(ctx, path, -1); err != nil && !isNoNode(err) {
			c.log.Warn("purge change notification", "path", path, "err", err)
			return
		}
	}
}
