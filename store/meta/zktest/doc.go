// Package zktest runs a real ZooKeeper server as a child process for
// tests: kq's zkstore contract tests, and broker integration tests that
// start several kq processes on one ZooKeeper. It is imported only by
// tests.
//
// It needs Java and the ZooKeeper jars: the Debian package zookeeper
// (/usr/share/java/zookeeper.jar), an Apache release under
// $ZOOKEEPER_HOME, or an explicit class path in $KQ_ZK_CLASSPATH. Without
// them tests are skipped, unless KQ_REQUIRE_ZK=1, which makes them fail.
//
// Start gives a test its own server, killed at the end of the test; use it
// for fault tests (Stop, Restart). Shared gives every test of the package
// one server, started on first use, which Main stops; tests isolate
// themselves on it with a unique chroot (Chroot).
//
// ZooKeeper offers no command to kill a session, and go-zookeeper does not
// reveal a session's password. Sessions dialed through Server.Dial are
// therefore watched: Dial records the session id and password from the
// server's handshake answer, and ExpireSession uses them to attach a second
// connection to the session and close it, which is what a server does when
// the session times out (ephemeral nodes deleted, watches of other
// sessions fired). It then cuts the client's connection, so the client
// learns of the expiry at once instead of at its next ping.
package zktest
