package partitionlog

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"

	"github.com/kqhq/kq/store/vfs"
)

// faultyManager opens a manager over dirs whose filesystem fails as the
// rules the test adds say (none at first).
func faultyManager(t *testing.T, dirs []string) (*Manager, *vfs.Rules) {
	t.Helper()
	rules := &vfs.Rules{}
	return openTestManager(t, dirs, ManagerOptions{FS: vfs.WithFaults(vfs.OS{}, rules)}), rules
}

// A checkpoint that cannot be written whole takes the directory offline
// and leaves the previous file in place (or, once the rename happened, the
// new one): never a mix.
func TestCheckpointWriteFailure(t *testing.T) {
	tests := []struct {
		name    string
		rule    *vfs.Rule
		renamed bool // the failure came after the new file took the name
	}{
		{"no space for the temporary file", &vfs.Rule{Kinds: vfs.OpOpen, Name: "*.tmp", Err: syscall.ENOSPC}, false},
		{"torn write", &vfs.Rule{Kinds: vfs.OpWrite, Name: "*.tmp", Err: syscall.ENOSPC, Short: 4}, false},
		{"fsync", &vfs.Rule{Kinds: vfs.OpSync, Name: "*.tmp", Err: syscall.EIO}, false},
		{"rename", &vfs.Rule{Kinds: vfs.OpRename, Name: "*.tmp", Err: syscall.EIO}, false},
		{"directory fsync", &vfs.Rule{Kinds: vfs.OpSyncDir, Err: syscall.EIO}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			m, rules := faultyManager(t, []string{dir})
			l, err := m.Create(testTP, [16]byte{1}, Config{})
			if err != nil {
				t.Fatal(err)
			}
			d := m.dirs[0]
			if err := m.writeCheckpoints(d, ckptRecovery); err != nil {
				t.Fatal(err)
			}
			mustAppend(t, l, buildBatch(t, batchSpec{}))
			if err := l.Flush(); err != nil {
				t.Fatal(err)
			}
			rules.Add(tt.rule)

			wantStorageError(t, m.writeCheckpoints(d, ckptRecovery), tt.rule.Err)
			if got := m.OfflineDirs(); !slices.Equal(got, []string{dir}) {
				t.Fatalf("offline dirs %v", got)
			}
			want := map[TopicPartition]int64{testTP: 0}
			if tt.renamed {
				want[testTP] = 1
			}
			got, err := readOffsetCheckpoint(vfs.OS{}, filepath.Join(dir, recoveryPointFile))
			if err != nil || got[testTP] != want[testTP] {
				t.Fatalf("checkpoint holds %v (%v), want %v", got, err, want)
			}
		})
	}
}

// A failing fsync at shutdown is reported, and the directory claims no
// clean shutdown: the next start recovers it, with every record.
func TestManagerCloseWithAFailingFsync(t *testing.T) {
	dir := t.TempDir()
	m, rules := faultyManager(t, []string{dir})
	l, err := m.Create(testTP, [16]byte{1}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	mustAppend(t, l, buildBatch(t, batchSpec{records: 3}))
	rules.Add(&vfs.Rule{Kinds: vfs.OpSync, Name: "*.log", Err: syscall.EIO})
	if err := m.Close(); !errors.Is(err, syscall.EIO) {
		t.Fatalf("close: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, cleanShutdownFile)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("clean-shutdown marker after a failed fsync: %v", err)
	}
	m2 := openTestManager(t, []string{dir}, ManagerOptions{})
	l2, ok := m2.Get(testTP)
	if !ok || l2.LogEndOffset() != 3 {
		t.Fatalf("after restart: %v", l2)
	}
}

// A directory whose segments cannot be read at startup is taken offline;
// the other directories open.
func TestManagerOpensAroundAnUnreadableDir(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	m := openTestManager(t, []string{a, b}, ManagerOptions{})
	for i := range 2 {
		l, err := m.Create(tpN(i), [16]byte{1}, Config{})
		if err != nil {
			t.Fatal(err)
		}
		mustAppend(t, l, buildBatch(t, batchSpec{records: 2}))
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	rules := &vfs.Rules{}
	rules.Add(&vfs.Rule{Kinds: vfs.OpRead, Name: filepath.Join(a, "*", "*.log"), Err: syscall.EIO})
	m2 := openTestManager(t, []string{a, b}, ManagerOptions{FS: vfs.WithFaults(vfs.OS{}, rules)})
	if got := m2.OfflineDirs(); !slices.Equal(got, []string{a}) {
		t.Fatalf("offline dirs %v", got)
	}
	if got := m2.All(); len(got) != 1 || filepath.Dir(got[0].Dir()) != b || got[0].LogEndOffset() != 2 {
		t.Fatalf("open logs %v", got)
	}
}
