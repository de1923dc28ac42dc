//go:build unix

package partitionlog

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// DiskUsage returns the size of the file system holding path and the bytes
// an unprivileged writer may still use there (statfs(2) f_blocks and
// f_bavail), what Kafka reports for a log dir's volume as its FileStore's
// total and usable space.
func DiskUsage(path string) (total, usable int64, err error) {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return -1, -1, fmt.Errorf("statfs %s: %w", path, err)
	}
	bsize := int64(st.Bsize)
	return int64(st.Blocks) * bsize, int64(st.Bavail) * bsize, nil
}
