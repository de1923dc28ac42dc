// Package zkstore is the meta.Store backend on a real ZooKeeper ensemble,
// for brokers configured with zookeeper.connect. It is kq's only importer
// of github.com/go-zookeeper/zk: nothing of that package (types, errors,
// events) leaks out; every error is one of meta's, every event a
// meta.Event.
//
// Connect takes Kafka's zookeeper.connect form, "h1:2181,h2:2181/chroot":
// the chroot is created if missing (as a Kafka broker does) and every path
// of the Store is relative to it, including those in results and events.
//
// Connection handling is go-zookeeper's: it reconnects after a connection
// loss and keeps the session and its watches if it gets back within the
// session timeout. The Store reports that through Session (Disconnected,
// then Connected). While disconnected, calls fail with
// meta.ErrConnectionLoss; reads that lose their connection mid-flight are
// retried once, writes are not (they may have been applied). When the
// server declares the session expired, the Store reports Expired, closes
// the connection (so go-zookeeper does not quietly open a new session
// without the old ephemeral nodes), and answers ErrSessionExpired from
// then on.
//
// go-zookeeper calls do not take a context; a call whose context ends
// returns the context's error at once while the request completes in the
// background, like a connection loss.
//
// Each watch is forwarded from go-zookeeper's channel to the Store's by a
// goroutine that lives until the watch fires or the session ends.
package zkstore
