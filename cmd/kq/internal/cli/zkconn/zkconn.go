// Package zkconn opens the short ZooKeeper sessions of the commands that
// work on ZooKeeper directly (--zookeeper), with Kafka's
// --zk-tls-config-file: the zookeeper.ssl.* client settings the broker
// reads from server.properties, read here from their own file so a tool
// reaches a ZooKeeper that only listens on its secure port. kq also takes
// kq.zookeeper.digest.credentials from the file: with it the session logs
// in with the digest scheme, as brokers with zookeeper.set.acl=true do,
// and what it creates only that user may change (Kafka's tools are secure
// whenever their JAAS file gives ZooKeeper credentials).
package zkconn

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/daemon/config"
	"github.com/kqhq/kq/store/meta"
	"github.com/kqhq/kq/store/meta/zkstore"
)

// FlagName is Kafka's flag for the file.
const FlagName = "zk-tls-config-file"

// AddFlag registers --zk-tls-config-file on fl, into path.
func AddFlag(fl *pflag.FlagSet, path *string) {
	fl.StringVar(path, FlagName, "", "Properties `file` with the ZooKeeper client's zookeeper.ssl.* settings (and kq.zookeeper.digest.credentials for digest login), used with --zookeeper")
}

// Dial opens a session on connect within timeout, with the settings of
// the file at tlsFile ("" for none); keys the file holds that are not
// ZooKeeper client settings are named on warn, as ignored. A malformed
// connect string or file exits 2, an unreachable ensemble 5.
func Dial(ctx context.Context, connect, tlsFile string, timeout time.Duration, warn io.Writer) (meta.Store, error) {
	if _, _, err := zkstore.ParseConnect(connect); err != nil {
		return nil, clierr.Usagef("--zookeeper: %v", err)
	}
	opts, err := options(connect, tlsFile, warn)
	if err != nil {
		return nil, err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	s, err := zkstore.Connect(ctx, connect, timeout, timeout, nil, opts...)
	if err != nil {
		return nil, &clierr.ExitError{Code: clierr.CodeUnavailable, Err: fmt.Errorf("connect to ZooKeeper %s: %w", connect, err)}
	}
	return s, nil
}

// clientKey reports whether key is one of the settings the file may hold:
// Kafka's list for --zk-tls-config-file, and kq's digest login.
func clientKey(key string) bool {
	switch key {
	case "zookeeper.clientCnxnSocket", "zookeeper.set.acl", "kq.zookeeper.digest.credentials":
		return true
	}
	return strings.HasPrefix(key, "zookeeper.ssl.")
}

// options reads the file through the broker's own parsing of these keys,
// so a tool and a broker given the same settings connect the same way.
func options(connect, tlsFile string, warn io.Writer) ([]zkstore.Option, error) {
	if tlsFile == "" {
		return nil, nil
	}
	props, err := admin.LoadProperties(tlsFile)
	if err != nil {
		return nil, clierr.Usagef("--%s: %v", FlagName, err)
	}
	keys := slices.Sorted(maps.Keys(props))
	for _, k := range keys {
		if !clientKey(k) {
			fmt.Fprintf(warn, "warning: --%s: %s is not a ZooKeeper client setting and is ignored\n", FlagName, k)
			delete(props, k)
		}
	}
	digest := props["kq.zookeeper.digest.credentials"] != ""
	if digest {
		props["zookeeper.set.acl"] = "true"
	}
	props["zookeeper.connect"] = connect
	b, _, err := config.Parse(props)
	if err != nil {
		return nil, clierr.Usagef("--%s %s: %v", FlagName, tlsFile, err)
	}
	var opts []zkstore.Option
	tlsCfg, err := b.ZooKeeperTLS.Config()
	if err != nil {
		return nil, clierr.Usagef("--%s %s: %v", FlagName, tlsFile, err)
	}
	if tlsCfg != nil {
		opts = append(opts, zkstore.WithTLS(tlsCfg))
	}
	if digest {
		opts = append(opts, zkstore.WithDigest(b.ZooKeeperDigestUser, b.ZooKeeperDigestPassword))
	}
	return opts, nil
}

// RequireConnect refuses --zk-tls-config-file without --zookeeper, as
// Kafka's tools do: the file configures nothing else.
func RequireConnect(tlsFile, connect string) error {
	if tlsFile != "" && connect == "" {
		return clierr.Usagef("--%s goes with --zookeeper: it configures only the connection to ZooKeeper", FlagName)
	}
	return nil
}
