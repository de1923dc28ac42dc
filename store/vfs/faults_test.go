package vfs

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// Every operation fails with its errno inside the error the os package
// would return, and does not reach the disk.
func TestEveryOperationCanFail(t *testing.T) {
	tests := []struct {
		kind OpKind
		run  func(fsys FS, f File, dir string) error
	}{
		{OpOpen, func(fsys FS, _ File, dir string) error { _, err := fsys.Create(filepath.Join(dir, "new")); return err }},
		{OpRead, func(_ FS, f File, _ string) error { _, err := f.ReadAt(make([]byte, 1), 0); return err }},
		{OpRead, func(_ FS, f File, _ string) error { _, err := f.Read(make([]byte, 1)); return err }},
		{OpWrite, func(_ FS, f File, _ string) error { _, err := f.Write([]byte("x")); return err }},
		{OpWrite, func(_ FS, f File, _ string) error { _, err := f.WriteAt([]byte("x"), 0); return err }},
		{OpSync, func(_ FS, f File, _ string) error { return f.Sync() }},
		{OpTruncate, func(_ FS, f File, _ string) error { return f.Truncate(0) }},
		{OpTruncate, func(fsys FS, f File, _ string) error { return fsys.Truncate(f.Name(), 0) }},
		{OpStat, func(_ FS, f File, _ string) error { _, err := f.Stat(); return err }},
		{OpStat, func(fsys FS, f File, _ string) error { _, err := fsys.Stat(f.Name()); return err }},
		{OpRemove, func(fsys FS, f File, _ string) error { return fsys.Remove(f.Name()) }},
		{OpRemove, func(fsys FS, _ File, dir string) error { return fsys.RemoveAll(dir) }},
		{OpRename, func(fsys FS, f File, _ string) error { return fsys.Rename(f.Name(), f.Name()+".x") }},
		{OpMkdir, func(fsys FS, _ File, dir string) error { return fsys.MkdirAll(filepath.Join(dir, "d"), 0o755) }},
		{OpReadDir, func(fsys FS, _ File, dir string) error { _, err := fsys.ReadDir(dir); return err }},
		{OpChtimes, func(fsys FS, f File, _ string) error { return fsys.Chtimes(f.Name(), time.Now(), time.Now()) }},
		{OpSyncDir, func(fsys FS, _ File, dir string) error { return fsys.SyncDir(dir) }},
		{OpLock, func(fsys FS, _ File, dir string) error { _, err := fsys.Lock(filepath.Join(dir, ".lock")); return err }},
		{OpAllocate, func(fsys FS, f File, _ string) error { return fsys.Allocate(f.Name(), 0, 4096) }},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		name := filepath.Join(dir, "00.log")
		if err := WriteFile(OS{}, name, []byte("abc")); err != nil {
			t.Fatal(err)
		}
		var rules Rules
		fsys := WithFaults(OS{}, &rules)
		f, err := fsys.OpenReadWrite(name)
		if err != nil {
			t.Fatal(err)
		}
		rule := &Rule{Kinds: tt.kind, Err: syscall.EIO}
		rules.Add(rule)
		err = tt.run(fsys, f, dir)
		f.Close()
		var pathErr *os.PathError
		var linkErr *os.LinkError
		if !errors.Is(err, syscall.EIO) || !(errors.As(err, &pathErr) || errors.As(err, &linkErr)) || rule.Failed() != 1 {
			t.Errorf("kind %b: err %#v, failed %d", tt.kind, err, rule.Failed())
		}
		if data, _ := ReadFile(OS{}, name); string(data) != "abc" {
			t.Errorf("kind %b: the failed operation changed the file to %q", tt.kind, data)
		}
	}
}

// A rule counts the operations it matches and fails the ones its After and
// Times select, until stopped.
func TestRuleSchedule(t *testing.T) {
	tests := []struct {
		name string
		rule *Rule
		ops  []Op
		want []bool // which ops fail
	}{
		{"third write to a .log", &Rule{Kinds: OpWrite, Name: "*.log", After: 2, Times: 1, Err: syscall.ENOSPC},
			[]Op{{OpWrite, "/d/1.log"}, {OpWrite, "/d/1.index"}, {OpSync, "/d/1.log"}, {OpWrite, "/d/1.log"}, {OpWrite, "/d/2.log"}, {OpWrite, "/d/2.log"}},
			[]bool{false, false, false, false, true, false}},
		{"every sync", &Rule{Kinds: OpSync, Err: syscall.EIO},
			[]Op{{OpSync, "a"}, {OpWrite, "a"}, {OpSync, "b"}},
			[]bool{true, false, true}},
		{"several kinds", &Rule{Kinds: OpSync | OpSyncDir, Times: 2, Err: syscall.EIO},
			[]Op{{OpSyncDir, "d"}, {OpRead, "a"}, {OpSync, "a"}, {OpSync, "a"}},
			[]bool{true, false, true, false}},
		{"any kind", &Rule{Name: "*.snapshot", Err: syscall.EIO},
			[]Op{{OpOpen, "1.snapshot"}, {OpRename, "1.snapshot.tmp"}},
			[]bool{true, false}},
		{"one directory", &Rule{Name: "/logs/a/*/*.log", Err: syscall.EIO},
			[]Op{{OpWrite, "/logs/b/t-0/0.log"}, {OpWrite, "/logs/a/t-0/0.log"}, {OpWrite, "/logs/a/t-0/0.index"}},
			[]bool{false, true, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i, op := range tt.ops {
				f := tt.rule.Inject(op)
				if got := f != nil; got != tt.want[i] {
					t.Fatalf("op %d %+v: failed %v, want %v", i, op, got, tt.want[i])
				}
				if f != nil && f.Err != tt.rule.Err {
					t.Fatalf("op %d: errno %v", i, f.Err)
				}
			}
		})
	}
}

func TestRuleStops(t *testing.T) {
	r := &Rule{Kinds: OpWrite, Err: syscall.ENOSPC}
	if r.Inject(Op{OpWrite, "a"}) == nil {
		t.Fatal("armed rule let a write through")
	}
	r.Stop()
	if r.Inject(Op{OpWrite, "a"}) != nil || r.Failed() != 1 {
		t.Fatalf("stopped rule still fails (failed %d)", r.Failed())
	}
}

func TestRulesAddedLater(t *testing.T) {
	var rs Rules
	if rs.Inject(Op{OpSync, "a"}) != nil {
		t.Fatal("empty Rules failed an op")
	}
	first := &Rule{Kinds: OpSync, Times: 1, Err: syscall.EIO}
	second := &Rule{Kinds: OpSync, Err: syscall.ENOSPC}
	rs.Add(first)
	rs.Add(second)
	for i, want := range []syscall.Errno{syscall.EIO, syscall.ENOSPC, syscall.ENOSPC} {
		if f := rs.Inject(Op{OpSync, "a"}); f == nil || f.Err != want {
			t.Fatalf("sync %d: %+v, want %v", i, f, want)
		}
	}
	if first.Failed() != 1 || second.Failed() != 2 {
		t.Fatalf("failed %d and %d", first.Failed(), second.Failed())
	}
}

// A torn write leaves Short bytes (never all of them) and reports the
// error, as a write that runs out of space does.
func TestTornWrites(t *testing.T) {
	tests := []struct {
		name  string
		short int
		write func(f File, p []byte) (int, error)
		want  string
	}{
		{"Write", 3, func(f File, p []byte) (int, error) { return f.Write(p) }, "abc"},
		{"WriteAt", 2, func(f File, p []byte) (int, error) { return f.WriteAt(p, 0) }, "ab"},
		{"short past the end", 100, func(f File, p []byte) (int, error) { return f.Write(p) }, "abcde"},
		{"nothing", 0, func(f File, p []byte) (int, error) { return f.Write(p) }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := filepath.Join(t.TempDir(), "0.log")
			fsys := WithFaults(OS{}, &Rule{Kinds: OpWrite, Err: syscall.ENOSPC, Short: tt.short})
			f, err := fsys.Create(name)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			n, err := tt.write(f, []byte("abcdef"))
			if n != len(tt.want) || !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("wrote %d, %v", n, err)
			}
			if data, _ := ReadFile(OS{}, name); string(data) != tt.want {
				t.Fatalf("file holds %q, want %q", data, tt.want)
			}
		})
	}
}

// Files of a faulty filesystem must not offer sendfile: it would read
// around the injector.
func TestFaultyFilesOfferNoSendfile(t *testing.T) {
	f, err := WithFaults(OS{}, &Rules{}).Create(filepath.Join(t.TempDir(), "a"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, ok := f.(syscall.Conn); ok {
		t.Fatalf("%T offers syscall.Conn", f)
	}
}

// A delay stalls the operation, as a slow disk does: without an errno it
// then runs and succeeds; with one it fails after the stall.
func TestStalls(t *testing.T) {
	tests := []struct {
		name string
		err  syscall.Errno
	}{{"stall only", 0}, {"stall then fail", syscall.EIO}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := filepath.Join(t.TempDir(), "00.log")
			var rules Rules
			fsys := WithFaults(OS{}, &rules)
			f, err := fsys.Create(name)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			const delay = 30 * time.Millisecond
			rule := &Rule{Kinds: OpSync | OpWrite, Delay: delay, Err: tt.err}
			rules.Add(rule)
			start := time.Now()
			_, werr := f.Write([]byte("abc"))
			serr := f.Sync()
			if took := time.Since(start); took < 2*delay {
				t.Errorf("write and sync took %v, want at least %v", took, 2*delay)
			}
			if tt.err == 0 && (werr != nil || serr != nil) {
				t.Errorf("stalled operations failed: %v, %v", werr, serr)
			}
			if tt.err != 0 && (!errors.Is(werr, tt.err) || !errors.Is(serr, tt.err)) {
				t.Errorf("errors %v, %v, want %v", werr, serr, tt.err)
			}
			data, _ := ReadFile(OS{}, name)
			if want := map[bool]string{true: "abc", false: ""}[tt.err == 0]; string(data) != want {
				t.Errorf("file holds %q, want %q", data, want)
			}
			if rule.Failed() != 2 {
				t.Errorf("rule counted %d operations, want 2", rule.Failed())
			}
		})
	}
}
