package vfs

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// Allocate implements FS with fallocate(2), keeping the file's size. A
// file system that cannot reserve space (EOPNOTSUPP) is not an error: the
// caller is no worse off than without the call.
func (OS) Allocate(name string, off, n int64) error {
	f, err := os.OpenFile(name, os.O_RDWR, filePerm)
	if err != nil {
		return err
	}
	defer f.Close()
	err = unix.Fallocate(int(f.Fd()), unix.FALLOC_FL_KEEP_SIZE, off, n)
	if errors.Is(err, unix.EOPNOTSUPP) {
		return nil
	}
	if err != nil {
		return &os.PathError{Op: "fallocate", Path: name, Err: err}
	}
	return nil
}
