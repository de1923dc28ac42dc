package vfs

import (
	"errors"
	"io/fs"
	"os"
	"time"
)

// OS is the real filesystem, through the os package. Its files are
// *os.File, handed out as they are: the log pays one interface call per
// operation and nothing else, and a fetch can still sendfile(2) them.
type OS struct{}

const filePerm = 0o644

// Create implements FS.
func (OS) Create(name string) (File, error) {
	return openFile(name, os.O_RDWR|os.O_CREATE|os.O_TRUNC)
}

// Open implements FS.
func (OS) Open(name string) (File, error) { return openFile(name, os.O_RDONLY) }

// OpenReadWrite implements FS.
func (OS) OpenReadWrite(name string) (File, error) { return openFile(name, os.O_RDWR) }

// OpenOrCreate implements FS.
func (OS) OpenOrCreate(name string) (File, error) {
	return openFile(name, os.O_RDWR|os.O_CREATE)
}

// OpenAppend implements FS.
func (OS) OpenAppend(name string) (File, error) {
	return openFile(name, os.O_WRONLY|os.O_CREATE|os.O_APPEND)
}

// openFile returns the *os.File itself, never a typed nil inside the
// interface.
func openFile(name string, flag int) (File, error) {
	f, err := os.OpenFile(name, flag, filePerm)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Remove implements FS.
func (OS) Remove(name string) error { return os.Remove(name) }

// RemoveAll implements FS.
func (OS) RemoveAll(path string) error { return os.RemoveAll(path) }

// Rename implements FS.
func (OS) Rename(oldname, newname string) error { return os.Rename(oldname, newname) }

// MkdirAll implements FS.
func (OS) MkdirAll(dir string, perm fs.FileMode) error { return os.MkdirAll(dir, perm) }

// ReadDir implements FS.
func (OS) ReadDir(dir string) ([]fs.DirEntry, error) { return os.ReadDir(dir) }

// Stat implements FS.
func (OS) Stat(name string) (fs.FileInfo, error) { return os.Stat(name) }

// Truncate implements FS.
func (OS) Truncate(name string, size int64) error { return os.Truncate(name, size) }

// Chtimes implements FS.
func (OS) Chtimes(name string, atime, mtime time.Time) error {
	return os.Chtimes(name, atime, mtime)
}

// SyncDir implements FS.
func (OS) SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	return errors.Join(d.Sync(), d.Close())
}
