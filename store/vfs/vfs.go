package vfs

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"time"
)

// FS is every filesystem operation the partition log performs. Names are
// paths as the os package takes them; errors are what the os package
// returns (*os.PathError, *os.LinkError), so errors.Is(err, fs.ErrNotExist)
// and errors.Is(err, syscall.ENOSPC) work the same through every
// implementation.
type FS interface {
	// Create opens name for reading and writing, creating it or cutting it
	// to zero length.
	Create(name string) (File, error)
	// Open opens an existing file read-only.
	Open(name string) (File, error)
	// OpenReadWrite opens an existing file for reading and writing.
	OpenReadWrite(name string) (File, error)
	// OpenOrCreate opens name for reading and writing, creating it empty
	// when missing; existing content is kept.
	OpenOrCreate(name string) (File, error)
	// OpenAppend opens name write-only with every write going to its end,
	// creating it when missing.
	OpenAppend(name string) (File, error)

	Remove(name string) error
	RemoveAll(path string) error
	// Rename moves oldname to newname, atomically replacing newname when
	// it exists (rename(2)).
	Rename(oldname, newname string) error
	MkdirAll(dir string, perm fs.FileMode) error
	// ReadDir lists dir sorted by name, as os.ReadDir.
	ReadDir(dir string) ([]fs.DirEntry, error)
	Stat(name string) (fs.FileInfo, error)
	// Truncate sets the size of the named file.
	Truncate(name string, size int64) error
	// Allocate reserves disk space for n bytes of the named file from off
	// without changing its size (fallocate(2) with FALLOC_FL_KEEP_SIZE), so
	// running out of space is an error here rather than a SIGBUS when a
	// memory-mapped page of a sparse file is first written. Where the file
	// system cannot reserve space it does nothing.
	Allocate(name string, off, n int64) error
	Chtimes(name string, atime, mtime time.Time) error
	// SyncDir makes the directory's entries (creations, renames, removals)
	// durable.
	SyncDir(dir string) error
	// Lock takes an exclusive advisory lock on name, created when missing,
	// without waiting; it is held until the returned Closer is closed.
	Lock(name string) (io.Closer, error)
}

// File is an open file. ReadAt and WriteAt never move the file's own offset,
// so concurrent readers may share one File.
//
// Fd returns the descriptor the index files are memory-mapped through. A
// File of the OS filesystem is an *os.File, which also offers
// syscall.Conn: that is what lets a fetch send a segment with sendfile(2).
// Wrappers that must see every read (fault injection) do not offer it, so
// their readers fall back to ReadAt.
type File interface {
	io.Reader
	io.ReaderAt
	io.Writer
	io.WriterAt
	io.Closer
	Name() string
	Stat() (fs.FileInfo, error)
	Sync() error
	Truncate(size int64) error
	Fd() uintptr
}

// ReadFile returns the content of name, as os.ReadFile does.
func ReadFile(fsys FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := 512
	if st, err := f.Stat(); err == nil && st.Size() > 0 {
		size = int(st.Size()) + 1 // one more byte, so a file read whole costs no second read
	}
	data := make([]byte, 0, size)
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if errors.Is(err, io.EOF) {
			return data, nil
		}
		if err != nil {
			return data, err
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
	}
}

// WriteFile replaces name's content with data, without fsync, as
// os.WriteFile does.
func WriteFile(fsys FS, name string, data []byte) error {
	f, err := fsys.Create(name)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// compile-time check: the OS filesystem's files are plain *os.File.
var _ File = (*os.File)(nil)
