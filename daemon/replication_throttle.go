package daemon

import (
	"github.com/kqhq/kq/daemon/internal/quota"
)

// Replication throttles (Kafka's ReplicationQuotaManager, as
// kafka-reassign-partitions.sh --throttle sets them): the leader side
// bounds what this broker serves to out-of-sync followers of partitions
// whose topic names this broker's replica in
// leader.replication.throttled.replicas; the follower side bounds what it
// fetches for partitions named in follower.replication.throttled.replicas.
// The rates are the dynamic leader/follower.replication.throttled.rate,
// read on every use so a change applies at once.

func (d *Daemon) newReplicationThrottles() (leader, follower *quota.Replication) {
	leader = quota.NewReplication(quota.Options{},
		func() int64 { return d.configs.broker.Load().LeaderReplicationThrottledRate },
		func(topic string, p int32) bool {
			return quota.ListsReplica(d.configs.topic(topic).LeaderReplicationThrottledReplicas, p, d.cfg.BrokerID)
		})
	follower = quota.NewReplication(quota.Options{},
		func() int64 { return d.configs.broker.Load().FollowerReplicationThrottledRate },
		func(topic string, p int32) bool {
			return quota.ListsReplica(d.configs.topic(topic).FollowerReplicationThrottledReplicas, p, d.cfg.BrokerID)
		})
	return leader, follower
}
