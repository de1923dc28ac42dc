// Package quota is Kafka's client quotas on one broker: the quota configs
// of users, client ids and user+client-id pairs (with <default> entities),
// resolved in Kafka's order, and per-entity sliding-window rates that turn
// a client's use into a throttle time.
//
// Three quota types are enforced, each on its own rates:
//
//	producer_byte_rate   bytes of produce requests per second
//	consumer_byte_rate   bytes of consumer fetch responses per second
//	request_percentage   request handling time, percent of one thread per second
//
// A rate is Kafka's Rate over a SampledStat: quota.window.num (11) samples
// of quota.window.size.seconds (1 s); the measured rate divides the samples'
// total by the time they span, never less than (samples-1) windows, so a
// new client's first burst is spread over ten seconds as in Kafka. When a
// recorded value takes the rate over the quota, the throttle time is
// Kafka's: (rate - quota) / quota * window span.
//
// The quota an entity gets, and which clients share its rate, follow
// Kafka's DefaultQuotaCallback: the first configured entity of
//
//	user+client-id, user+<default> client-id, user,
//	<default> user+client-id, <default> user+<default> client-id,
//	<default> user, client-id, <default> client-id
//
// that sets the quota type decides the bound, and the rate is shared by
// every connection with the same user (if the entity names a user) and
// client id (if it names one). The package holds no ZooKeeper knowledge:
// the daemon feeds it entity configs (Manager.Set) as they load and change.
package quota
