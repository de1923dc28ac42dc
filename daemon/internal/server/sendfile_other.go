//go:build !linux

package server

import "net"

// sendfile is Linux-only here: other platforms' sendfile differs in argument
// order and partial-write reporting, and kq deploys on Linux.
func sendfile(net.Conn, FileRegion) (int64, error) { return 0, errNoSendfile }
