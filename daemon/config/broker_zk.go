package config

import "strings"

// ZooKeeper holds the metadata store connection.
type ZooKeeper struct {
	// ZooKeeperConnect is zookeeper.connect as written: "h1:2181,h2:2181/chroot".
	// Empty selects kq's embedded metadata store (a kq extension: Kafka in
	// ZooKeeper mode refuses to start without it).
	ZooKeeperConnect string
	// ZooKeeperServers are the host:port entries of ZooKeeperConnect.
	ZooKeeperServers []string
	// ZooKeeperChroot is the path after the server list, "" for the root.
	ZooKeeperChroot           string
	ZooKeeperSessionTimeoutMs int64
	// ZooKeeperConnectionTimeoutMs defaults to the session timeout.
	ZooKeeperConnectionTimeoutMs int64
	ZooKeeperSetACL              bool
	ZooKeeperMaxInFlightRequests int32
	// ZooKeeperTLS is the zookeeper.ssl.* settings; Enable is
	// zookeeper.ssl.client.enable.
	ZooKeeperTLS ZooKeeperTLS
	// ZooKeeperDigestUser and ZooKeeperDigestPassword are
	// kq.zookeeper.digest.credentials split at its first colon.
	ZooKeeperDigestUser, ZooKeeperDigestPassword string
}

// Embedded reports whether kq should use its embedded metadata store.
func (z ZooKeeper) Embedded() bool { return z.ZooKeeperConnect == "" }

func zooKeeperDefs() []Def {
	return append(zooKeeperTLSDefs(), []Def{
		{Name: "zookeeper.connect", Type: typeString, NullDefault: true, Importance: High,
			Doc:  "ZooKeeper servers as host:port pairs, optionally followed by a chroot path.",
			Note: "kq extension: unset or empty runs the embedded metadata store."},
		{Name: "zookeeper.session.timeout.ms", Type: typeInt, Default: "18000", Importance: High,
			Doc: "ZooKeeper session timeout; an expired session drops the broker's registration."},
		{Name: "zookeeper.connection.timeout.ms", Type: typeInt, NullDefault: true, Importance: High,
			Doc: "How long to wait for a ZooKeeper connection; defaults to the session timeout."},
		{Name: "zookeeper.set.acl", Type: typeBool, Default: "false", Importance: High,
			Doc: "Create znodes with secure ACLs."},
		{Name: "zookeeper.max.in.flight.requests", Type: typeInt, Default: "10", valid: atLeast(1), Importance: High,
			Doc: "Unacknowledged requests the broker sends to ZooKeeper before blocking."},
		{Name: "kq.zookeeper.digest.credentials", Type: typePassword, NullDefault: true, Importance: Medium,
			Doc:  "user:password the broker authenticates to ZooKeeper with (digest scheme); required by zookeeper.set.acl=true.",
			Note: "kq only: Kafka authenticates to ZooKeeper with SASL from a JAAS file, which go-zookeeper does not implement."},
	}...)
}

func fillZooKeeper(r *reader) (ZooKeeper, error) {
	z := ZooKeeper{
		ZooKeeperConnect:             javaTrim(r.str("zookeeper.connect")),
		ZooKeeperSessionTimeoutMs:    r.i64("zookeeper.session.timeout.ms"),
		ZooKeeperSetACL:              r.bool("zookeeper.set.acl"),
		ZooKeeperMaxInFlightRequests: r.i32("zookeeper.max.in.flight.requests"),
	}
	z.ZooKeeperConnectionTimeoutMs = z.ZooKeeperSessionTimeoutMs
	if ms, ok := r.optI64("zookeeper.connection.timeout.ms"); ok {
		z.ZooKeeperConnectionTimeoutMs = ms
	}
	z.ZooKeeperTLS = fillZooKeeperTLS(r)
	if creds := r.str("kq.zookeeper.digest.credentials"); creds != "" {
		user, password, ok := strings.Cut(creds, ":")
		if !ok || user == "" {
			return z, configError("kq.zookeeper.digest.credentials", "kq.zookeeper.digest.credentials must be user:password")
		}
		z.ZooKeeperDigestUser, z.ZooKeeperDigestPassword = user, password
	}
	if z.Embedded() {
		return z, nil
	}
	if z.ZooKeeperSetACL && z.ZooKeeperDigestUser == "" {
		return z, configError("zookeeper.set.acl", "zookeeper.set.acl is true, but no ZooKeeper credentials are configured: "+
			"set kq.zookeeper.digest.credentials=user:password (kq authenticates to ZooKeeper with the digest scheme, not SASL)")
	}
	var err error
	z.ZooKeeperServers, z.ZooKeeperChroot, err = splitZooKeeperConnect(z.ZooKeeperConnect)
	return z, err
}

// splitZooKeeperConnect separates servers from the chroot, with ZooKeeper's
// path rules (a chroot of "/" is the root; no trailing or doubled slash).
func splitZooKeeperConnect(connect string) (servers []string, chroot string, err error) {
	hosts, path, hasPath := strings.Cut(connect, "/")
	bad := func(reason string) error { return invalidValue("zookeeper.connect", connect, reason) }
	if hasPath {
		chroot = "/" + path
		if chroot == "/" {
			chroot = ""
		} else if strings.HasSuffix(chroot, "/") || strings.Contains(chroot, "//") {
			return nil, "", bad("chroot path " + chroot + " must not end with / or contain an empty node")
		}
	}
	for _, s := range strings.Split(hosts, ",") {
		s = javaTrim(s)
		if s == "" {
			return nil, "", bad("empty server in the server list")
		}
		servers = append(servers, s)
	}
	return servers, chroot, nil
}
