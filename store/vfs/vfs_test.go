package vfs

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"
)

// implementations are the filesystems every conformance test runs over; a
// faulty one with no rule must behave exactly as the one it wraps.
func implementations() map[string]func() FS {
	return map[string]func() FS{
		"os":                   func() FS { return OS{} },
		"faults without rules": func() FS { return WithFaults(OS{}, &Rules{}) },
	}
}

func forEachFS(t *testing.T, test func(t *testing.T, fsys FS, dir string)) {
	for name, newFS := range implementations() {
		t.Run(name, func(t *testing.T) { test(t, newFS(), t.TempDir()) })
	}
}

func TestFileRoundTrip(t *testing.T) {
	forEachFS(t, func(t *testing.T, fsys FS, dir string) {
		name := filepath.Join(dir, "a.log")
		f, err := fsys.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.Write([]byte("hello ")); err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteAt([]byte("world"), 6); err != nil {
			t.Fatal(err)
		}
		if err := f.Sync(); err != nil {
			t.Fatal(err)
		}
		got := make([]byte, 5)
		if _, err := f.ReadAt(got, 6); err != nil || string(got) != "world" {
			t.Fatalf("ReadAt %q, %v", got, err)
		}
		if err := f.Truncate(5); err != nil {
			t.Fatal(err)
		}
		if st, err := f.Stat(); err != nil || st.Size() != 5 || f.Name() != name {
			t.Fatalf("after truncate: %v %v %s", st, err, f.Name())
		}
		if data, err := ReadFile(fsys, name); err != nil || string(data) != "hello" {
			t.Fatalf("ReadFile %q, %v", data, err)
		}
	})
}

func TestOpenModes(t *testing.T) {
	forEachFS(t, func(t *testing.T, fsys FS, dir string) {
		name := filepath.Join(dir, "x")
		if _, err := fsys.OpenReadWrite(name); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("OpenReadWrite of a missing file: %v", err)
		}
		if _, err := fsys.Open(name); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("Open of a missing file: %v", err)
		}
		if err := WriteFile(fsys, name, []byte("abc")); err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			mode string
			open func(string) (File, error)
			want string // content after writing "xy" through the new File
		}{
			{"OpenOrCreate keeps the content", fsys.OpenOrCreate, "xyc"},
			{"OpenReadWrite keeps the content", fsys.OpenReadWrite, "xyc"},
			{"OpenAppend writes at the end", fsys.OpenAppend, "xycxy"},
			{"Create cuts it first", fsys.Create, "xy"},
		}
		for _, s := range steps {
			f, err := s.open(name)
			if err != nil {
				t.Fatalf("%s: %v", s.mode, err)
			}
			if _, err := f.Write([]byte("xy")); err != nil {
				t.Fatalf("%s: %v", s.mode, err)
			}
			f.Close()
			if got, err := ReadFile(fsys, name); err != nil || string(got) != s.want {
				t.Fatalf("%s: content %q, want %q (%v)", s.mode, got, s.want, err)
			}
		}
	})
}

func TestDirectoryOperations(t *testing.T) {
	forEachFS(t, func(t *testing.T, fsys FS, dir string) {
		sub := filepath.Join(dir, "p-0", "deeper")
		if err := fsys.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, n := range []string{"b", "a"} {
			if err := WriteFile(fsys, filepath.Join(dir, "p-0", n), nil); err != nil {
				t.Fatal(err)
			}
		}
		if err := fsys.Rename(filepath.Join(dir, "p-0", "b"), filepath.Join(dir, "p-0", "c")); err != nil {
			t.Fatal(err)
		}
		if err := fsys.Remove(filepath.Join(dir, "p-0", "a")); err != nil {
			t.Fatal(err)
		}
		mtime := time.Unix(1_700_000_000, 0)
		if err := fsys.Chtimes(filepath.Join(dir, "p-0", "c"), mtime, mtime); err != nil {
			t.Fatal(err)
		}
		if err := fsys.Truncate(filepath.Join(dir, "p-0", "c"), 7); err != nil {
			t.Fatal(err)
		}
		st, err := fsys.Stat(filepath.Join(dir, "p-0", "c"))
		if err != nil || st.Size() != 7 {
			t.Fatalf("stat: %v %v", st, err)
		}
		entries, err := fsys.ReadDir(filepath.Join(dir, "p-0"))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if !slices.Equal(names, []string{"c", "deeper"}) || !entries[1].IsDir() {
			t.Fatalf("entries %v", names)
		}
		if err := fsys.SyncDir(filepath.Join(dir, "p-0")); err != nil {
			t.Fatal(err)
		}
		if err := fsys.RemoveAll(filepath.Join(dir, "p-0")); err != nil {
			t.Fatal(err)
		}
		if _, err := fsys.Stat(filepath.Join(dir, "p-0")); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("after RemoveAll: %v", err)
		}
	})
}

func TestLockIsExclusive(t *testing.T) {
	forEachFS(t, func(t *testing.T, fsys FS, dir string) {
		name := filepath.Join(dir, ".lock")
		l, err := fsys.Lock(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fsys.Lock(name); !errors.Is(err, syscall.EWOULDBLOCK) {
			t.Fatalf("second lock: %v", err)
		}
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		l2, err := fsys.Lock(name)
		if err != nil {
			t.Fatalf("lock after release: %v", err)
		}
		l2.Close()
	})
}

// The OS filesystem's files are *os.File, which is what sendfile needs.
func TestOSFilesOfferSendfile(t *testing.T) {
	f, err := OS{}.Create(filepath.Join(t.TempDir(), "a"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, ok := f.(syscall.Conn); !ok {
		t.Fatalf("%T does not offer syscall.Conn", f)
	}
	if _, ok := f.(*os.File); !ok {
		t.Fatalf("%T is not an *os.File", f)
	}
}

func TestReadFileOfALargeFile(t *testing.T) {
	name := filepath.Join(t.TempDir(), "big")
	data := bytes.Repeat([]byte("0123456789"), 100_000)
	if err := WriteFile(OS{}, name, data); err != nil {
		t.Fatal(err)
	}
	got, err := ReadFile(OS{}, name)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read %d bytes, %v", len(got), err)
	}
}
