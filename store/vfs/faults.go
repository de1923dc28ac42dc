package vfs

import (
	"io"
	"io/fs"
	"os"
	"time"
)

// WithFaults returns fsys with inj asked before every operation whether it
// fails. A failed operation returns the error the os package would (its
// errno inside an *os.PathError, or an *os.LinkError for a rename) and
// does not reach fsys, except a torn write's first bytes. Operations inj
// lets through are fsys's own. Its files offer no sendfile (see File): a
// fetch reads them with ReadAt, where read faults reach it.
func WithFaults(fsys FS, inj Injector) FS { return &faultFS{fs: fsys, inj: inj} }

type faultFS struct {
	fs  FS
	inj Injector
}

func (f *faultFS) check(kind OpKind, op, path string) error {
	if ft := f.inj.Inject(Op{Kind: kind, Path: path}); ft != nil && ft.stall() {
		return &os.PathError{Op: op, Path: path, Err: ft.Err}
	}
	return nil
}

func (f *faultFS) open(name string, open func(string) (File, error)) (File, error) {
	if err := f.check(OpOpen, "open", name); err != nil {
		return nil, err
	}
	file, err := open(name)
	if err != nil {
		return nil, err
	}
	return &faultFile{File: file, fs: f}, nil
}

func (f *faultFS) Create(name string) (File, error)        { return f.open(name, f.fs.Create) }
func (f *faultFS) Open(name string) (File, error)          { return f.open(name, f.fs.Open) }
func (f *faultFS) OpenReadWrite(name string) (File, error) { return f.open(name, f.fs.OpenReadWrite) }
func (f *faultFS) OpenOrCreate(name string) (File, error)  { return f.open(name, f.fs.OpenOrCreate) }
func (f *faultFS) OpenAppend(name string) (File, error)    { return f.open(name, f.fs.OpenAppend) }

func (f *faultFS) Remove(name string) error {
	if err := f.check(OpRemove, "remove", name); err != nil {
		return err
	}
	return f.fs.Remove(name)
}

func (f *faultFS) RemoveAll(path string) error {
	if err := f.check(OpRemove, "unlinkat", path); err != nil {
		return err
	}
	return f.fs.RemoveAll(path)
}

func (f *faultFS) Rename(oldname, newname string) error {
	if ft := f.inj.Inject(Op{Kind: OpRename, Path: oldname}); ft != nil && ft.stall() {
		return &os.LinkError{Op: "rename", Old: oldname, New: newname, Err: ft.Err}
	}
	return f.fs.Rename(oldname, newname)
}

func (f *faultFS) MkdirAll(dir string, perm fs.FileMode) error {
	if err := f.check(OpMkdir, "mkdir", dir); err != nil {
		return err
	}
	return f.fs.MkdirAll(dir, perm)
}

func (f *faultFS) ReadDir(dir string) ([]fs.DirEntry, error) {
	if err := f.check(OpReadDir, "open", dir); err != nil {
		return nil, err
	}
	return f.fs.ReadDir(dir)
}

func (f *faultFS) Stat(name string) (fs.FileInfo, error) {
	if err := f.check(OpStat, "stat", name); err != nil {
		return nil, err
	}
	return f.fs.Stat(name)
}

func (f *faultFS) Truncate(name string, size int64) error {
	if err := f.check(OpTruncate, "truncate", name); err != nil {
		return err
	}
	return f.fs.Truncate(name, size)
}

func (f *faultFS) Allocate(name string, off, n int64) error {
	if err := f.check(OpAllocate, "fallocate", name); err != nil {
		return err
	}
	return f.fs.Allocate(name, off, n)
}

func (f *faultFS) Chtimes(name string, atime, mtime time.Time) error {
	if err := f.check(OpChtimes, "chtimes", name); err != nil {
		return err
	}
	return f.fs.Chtimes(name, atime, mtime)
}

func (f *faultFS) SyncDir(dir string) error {
	if err := f.check(OpSyncDir, "sync", dir); err != nil {
		return err
	}
	return f.fs.SyncDir(dir)
}

func (f *faultFS) Lock(name string) (io.Closer, error) {
	if err := f.check(OpLock, "flock", name); err != nil {
		return nil, err
	}
	return f.fs.Lock(name)
}

// faultFile embeds the File interface, not the concrete file, so that only
// File's methods show: an *os.File's SyscallConn would let sendfile(2)
// read around the injector.
type faultFile struct {
	File
	fs *faultFS
}

// fault returns the fault the operation fails with, after any stall, or
// nil when it runs.
func (f *faultFile) fault(kind OpKind) *Fault {
	if ft := f.fs.inj.Inject(Op{Kind: kind, Path: f.Name()}); ft != nil && ft.stall() {
		return ft
	}
	return nil
}

func (f *faultFile) pathError(op string, ft *Fault) error {
	return &os.PathError{Op: op, Path: f.Name(), Err: ft.Err}
}

func (f *faultFile) Read(p []byte) (int, error) {
	if ft := f.fault(OpRead); ft != nil {
		return 0, f.pathError("read", ft)
	}
	return f.File.Read(p)
}

func (f *faultFile) ReadAt(p []byte, off int64) (int, error) {
	if ft := f.fault(OpRead); ft != nil {
		return 0, f.pathError("read", ft)
	}
	return f.File.ReadAt(p, off)
}

// Write tears the write when the fault says so: its first bytes reach the
// file, then the error comes, as when a disk fills during write(2).
func (f *faultFile) Write(p []byte) (int, error) {
	ft := f.fault(OpWrite)
	if ft == nil {
		return f.File.Write(p)
	}
	n, err := f.File.Write(p[:torn(ft, len(p))])
	if err != nil {
		return n, err
	}
	return n, f.pathError("write", ft)
}

// WriteAt is Write at an offset.
func (f *faultFile) WriteAt(p []byte, off int64) (int, error) {
	ft := f.fault(OpWrite)
	if ft == nil {
		return f.File.WriteAt(p, off)
	}
	n, err := f.File.WriteAt(p[:torn(ft, len(p))], off)
	if err != nil {
		return n, err
	}
	return n, f.pathError("write", ft)
}

// torn is how many of n bytes a faulty write lets through: Short, but
// never all of them.
func torn(ft *Fault, n int) int { return max(0, min(ft.Short, n-1)) }

func (f *faultFile) Sync() error {
	if ft := f.fault(OpSync); ft != nil {
		return f.pathError("sync", ft)
	}
	return f.File.Sync()
}

func (f *faultFile) Truncate(size int64) error {
	if ft := f.fault(OpTruncate); ft != nil {
		return f.pathError("truncate", ft)
	}
	return f.File.Truncate(size)
}

func (f *faultFile) Stat() (fs.FileInfo, error) {
	if ft := f.fault(OpStat); ft != nil {
		return nil, f.pathError("stat", ft)
	}
	return f.File.Stat()
}
