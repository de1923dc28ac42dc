// Package meta is kq's metadata-store contract: a ZooKeeper-shaped tree of
// znodes that the broker, the controller and admin tools share, exactly as
// Apache Kafka in ZooKeeper mode keeps its cluster metadata.
//
// A Store is one client session. Everything it creates with an ephemeral
// mode lives only as long as that session: a broker's registration under
// /brokers/ids vanishes when the broker closes its session or the session
// expires, which is how the controller learns that a broker died. After an
// Expired session event the Store is dead for good (every call returns
// ErrSessionExpired); its owner must connect a new one and re-create its
// ephemeral nodes, as a Kafka broker does.
//
// Semantics follow ZooKeeper, and one contract suite (package metatest)
// holds both implementations to them:
//
//   - Paths are absolute, slash separated, without a trailing slash;
//     ValidatePath says which are legal. A node's parent must exist.
//   - Every node has a data version (Stat.Version) and a child version
//     (Stat.Cversion). Set, Delete and CheckOp take an expected data version;
//     AnyVersion (-1) skips the check. A mismatch is ErrBadVersion, which is
//     how callers do compare-and-set (Kafka's "zkVersion").
//   - Sequential modes append a 10-digit counter to the requested name; the
//     counter is the parent's Cversion at creation time, so numbers never
//     repeat under one parent.
//   - Watches are one-shot. GetW, ExistsW and ChildrenW return a channel that
//     receives at most one Event, after the change it reports has been
//     applied, and is then closed. ExistsW on a missing node fires on its
//     creation. When the session ends, pending watches receive an
//     EventNotWatching carrying ErrSessionExpired or ErrClosed. There is no
//     ordering between different watch channels.
//   - Multi applies all of its operations or none. On failure it returns a
//     *MultiError naming the first operation that failed.
//
// Implementations: package embedded (an in-process server persisted under
// the broker's data directory, used without zookeeper.connect) and package
// zkstore (a real ZooKeeper ensemble). Package znode owns every Kafka path
// and its JSON encoding.
//
// Errors are the sentinels below, wrapped with the operation and path
// (*PathError), so callers test them with errors.Is.
package meta
