//go:build unix

package vfs

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// Lock implements FS with flock(2), as Kafka locks a log.dir: the lock goes
// with the descriptor, so it is released when the file is closed or the
// process dies.
func (OS) Lock(name string) (io.Closer, error) {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, filePerm)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		return nil, &os.PathError{Op: "flock", Path: name, Err: err}
	}
	return f, nil
}
