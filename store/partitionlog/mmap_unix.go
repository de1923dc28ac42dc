//go:build unix

package partitionlog

import (
	"fmt"

	"github.com/kqhq/kq/store/vfs"
	"golang.org/x/sys/unix"
)

// The index files are memory-mapped, as Kafka does, so a lookup is a binary
// search over page-cache memory with no syscall and no heap copy. This file
// is the only one that knows how.

// mapFile maps length bytes of f read-write and shared. The mapping may be
// longer than the file (the preallocated tail of an index); only bytes
// inside the file may be touched.
func mapFile(f vfs.File, length int) ([]byte, error) {
	if length == 0 {
		return nil, nil
	}
	b, err := unix.Mmap(int(f.Fd()), 0, length, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("mmap %s: %w", f.Name(), err)
	}
	return b, nil
}

func unmap(b []byte) error {
	if b == nil {
		return nil
	}
	return unix.Munmap(b)
}

// syncMapping writes the mapping's dirty pages to disk.
func syncMapping(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	return unix.Msync(b, unix.MS_SYNC)
}
