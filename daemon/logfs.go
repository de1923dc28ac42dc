//go:build !kqfaults

package daemon

import (
	"log/slog"

	"github.com/kqhq/kq/store/vfs"
)

// logFS is the filesystem the log dirs are reached through: the real one.
// A build with the kqfaults tag (the fault tests' brokers, logfs_kqfaults.go)
// may put a fault injector under it; the logs' code is the same either way.
func logFS(*slog.Logger) vfs.FS { return vfs.OS{} }
