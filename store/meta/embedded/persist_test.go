package embedded

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/kqhq/kq/store/meta"
)

// crash abandons a server as a killed process would: files closed, nothing
// flushed or cleaned up, sessions left alive.
func (s *Server) crash() {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	if s.journal != nil {
		s.journal.f.Close()
	}
	s.releaseLock()
}

type nodeDump struct {
	data string
	stat meta.Stat
}

// dump reads the whole tree through a session.
func dump(t *testing.T, s meta.Store) map[string]nodeDump {
	t.Helper()
	out := map[string]nodeDump{}
	var walk func(p string)
	walk = func(p string) {
		data, st, err := s.Get(context.Background(), p)
		if err != nil {
			t.Fatalf("Get(%s): %v", p, err)
		}
		out[p] = nodeDump{string(data), st}
		names, _, err := s.Children(context.Background(), p)
		if err != nil {
			t.Fatalf("Children(%s): %v", p, err)
		}
		for _, n := range names {
			walk(meta.Join(p, n))
		}
	}
	walk("/")
	return out
}

func connect(t *testing.T, srv *Server) meta.Store {
	t.Helper()
	s, err := srv.Connect(time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func create(t *testing.T, s meta.Store, path string, data []byte, mode meta.CreateMode) string {
	t.Helper()
	p, err := meta.CreateRecursive(context.Background(), s, path, data, mode)
	if err != nil {
		t.Fatalf("create %s: %v", path, err)
	}
	return p
}

func set(t *testing.T, s meta.Store, path string, data []byte) {
	t.Helper()
	if _, err := s.Set(context.Background(), path, data, meta.AnyVersion); err != nil {
		t.Fatalf("set %s: %v", path, err)
	}
}

// populate writes a little of everything Kafka writes.
func populate(t *testing.T, s meta.Store) {
	ctx := context.Background()
	create(t, s, "/brokers/topics/t/partitions/0/state", []byte(`{"leader":1}`), meta.Persistent)
	set(t, s, "/brokers/topics/t/partitions/0/state", []byte(`{"leader":2}`))
	create(t, s, "/isr_change_notification/isr_change_", []byte("a"), meta.PersistentSequential)
	create(t, s, "/isr_change_notification/isr_change_", []byte("b"), meta.PersistentSequential)
	if err := s.Delete(ctx, "/isr_change_notification/isr_change_0000000000", -1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Multi(ctx, meta.CreateOp{Path: "/m"}, meta.CreateOp{Path: "/m/x", Data: []byte("x")}); err != nil {
		t.Fatal(err)
	}
}

func TestRestartKeepsPersistentNodes(t *testing.T) {
	dir := t.TempDir()
	srv := newServer(t, dir, Options{})
	s := connect(t, srv)
	populate(t, s)
	create(t, s, "/brokers/ids/1", nil, meta.Ephemeral)
	before := dump(t, s)
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	srv = newServer(t, dir, Options{})
	after := dump(t, connect(t, srv))
	assertSameExceptEphemeral(t, before, after)
}

// assertSameExceptEphemeral checks that after is before without its
// ephemeral nodes, whose parents each count one more deletion.
func assertSameExceptEphemeral(t *testing.T, before, after map[string]nodeDump) {
	t.Helper()
	want := map[string]nodeDump{}
	for p, n := range before {
		if n.stat.EphemeralOwner == 0 {
			want[p] = n
		}
	}
	for p, n := range before {
		if n.stat.EphemeralOwner != 0 {
			parent := want[meta.Parent(p)]
			parent.stat.Cversion++
			parent.stat.NumChildren--
			parent.stat.Pzxid = after[meta.Parent(p)].stat.Pzxid
			want[meta.Parent(p)] = parent
		}
	}
	if !reflect.DeepEqual(want, after) {
		t.Fatalf("tree after restart differs:\n got %v\nwant %v", sorted(after), sorted(want))
	}
}

func sorted(m map[string]nodeDump) []string {
	var out []string
	for p, n := range m {
		out = append(out, fmt.Sprintf("%s=%q%+v", p, n.data, n.stat))
	}
	sort.Strings(out)
	return out
}

func TestCrashRecovery(t *testing.T) {
	tests := []struct {
		name    string
		compact int64
	}{
		{"journal only", 0},
		{"snapshot and journal", 256},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			srv := newServer(t, dir, Options{CompactBytes: tt.compact})
			s := connect(t, srv)
			populate(t, s)
			create(t, s, "/m/eph", nil, meta.Ephemeral)
			before := dump(t, s)
			srv.crash()
			srv = newServer(t, dir, Options{CompactBytes: tt.compact})
			s2 := connect(t, srv)
			assertSameExceptEphemeral(t, before, dump(t, s2))
			// Numbering and zxids continue where they were.
			p := create(t, s2, "/isr_change_notification/isr_change_", nil, meta.PersistentSequential)
			if p != "/isr_change_notification/isr_change_0000000002" {
				t.Fatalf("sequential after recovery = %s", p)
			}
			if st, _, _ := s2.Exists(context.Background(), p); st.Czxid <= before["/m/eph"].stat.Czxid {
				t.Fatalf("zxid went backwards: %d after %d", st.Czxid, before["/m/eph"].stat.Czxid)
			}
		})
	}
}

// A crash after the snapshot rename but before the journal was emptied
// leaves records the snapshot already holds; replay must skip them.
func TestRecoverySkipsRecordsInSnapshot(t *testing.T) {
	dir := t.TempDir()
	srv := newServer(t, dir, Options{})
	s := connect(t, srv)
	populate(t, s)
	before := dump(t, s)
	srv.wmu.Lock()
	err := writeSnapshot(dir, encodeSnapshot(srv.tree, srv.lastZxid))
	srv.wmu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	srv.crash()
	srv = newServer(t, dir, Options{})
	assertSameExceptEphemeral(t, before, dump(t, connect(t, srv)))
}

func TestTornJournalTail(t *testing.T) {
	tests := []struct {
		name string
		tear func(t *testing.T, path string, lastRecord int64)
	}{
		{"half a record", func(t *testing.T, path string, last int64) {
			truncate(t, path, last+(fileSize(t, path)-last)/2)
		}},
		{"header only", func(t *testing.T, path string, last int64) { truncate(t, path, last+4) }},
		{"garbage tail", func(t *testing.T, path string, last int64) {
			appendFile(t, path, []byte{0, 0, 0, 9, 1, 2, 3})
		}},
		{"zeroed tail", func(t *testing.T, path string, last int64) {
			appendFile(t, path, make([]byte, 64))
		}},
		{"flipped byte in last record", func(t *testing.T, path string, last int64) {
			flipByte(t, path, fileSize(t, path)-1)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			srv := newServer(t, dir, Options{})
			s := connect(t, srv)
			populate(t, s)
			before := dump(t, s)
			jpath := filepath.Join(dir, journalName)
			last := fileSize(t, jpath)
			create(t, s, "/lost", nil, meta.Persistent)
			srv.crash()
			tt.tear(t, jpath, last)
			srv = newServer(t, dir, Options{})
			s2 := connect(t, srv)
			after := dump(t, s2)
			if _, ok := after["/lost"]; ok && tt.name != "garbage tail" && tt.name != "zeroed tail" {
				t.Fatal("torn record was applied")
			}
			delete(after, "/lost")
			fixRoot(before, after)
			if !reflect.DeepEqual(before, after) {
				t.Fatalf("tree after torn tail:\n got %v\nwant %v", sorted(after), sorted(before))
			}
			// The journal is usable again: a new write survives a restart.
			create(t, s2, "/after", nil, meta.Persistent)
			srv.crash()
			srv = newServer(t, dir, Options{})
			if _, ok := dump(t, connect(t, srv))["/after"]; !ok {
				t.Fatal("write after recovery lost")
			}
		})
	}
}

// fixRoot copies the root stat, which /lost's creation may have changed.
func fixRoot(before, after map[string]nodeDump) {
	after["/"] = before["/"]
}

func TestCorruptJournalRefusesToOpen(t *testing.T) {
	dir := t.TempDir()
	srv := newServer(t, dir, Options{})
	populate(t, connect(t, srv))
	srv.crash()
	flipByte(t, filepath.Join(dir, journalName), 20) // inside the first record
	_, err := New(dir, Options{})
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("New on a damaged journal: %v, want ErrCorrupt", err)
	}
}

func TestCorruptSnapshotRefusesToOpen(t *testing.T) {
	dir := t.TempDir()
	srv := newServer(t, dir, Options{})
	populate(t, connect(t, srv))
	if err := srv.Compact(); err != nil {
		t.Fatal(err)
	}
	srv.crash()
	flipByte(t, filepath.Join(dir, snapshotName), 12)
	_, err := New(dir, Options{})
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("New on a damaged snapshot: %v, want ErrCorrupt", err)
	}
}

func TestDirectoryLocked(t *testing.T) {
	dir := t.TempDir()
	newServer(t, dir, Options{})
	if _, err := New(dir, Options{}); err == nil {
		t.Fatal("second server opened a locked directory")
	}
}

func TestCompactionBoundsJournal(t *testing.T) {
	dir := t.TempDir()
	srv := newServer(t, dir, Options{CompactBytes: 4 << 10})
	s := connect(t, srv)
	create(t, s, "/c", nil, meta.Persistent)
	for i := range 500 {
		set(t, s, "/c", bytes.Repeat([]byte{byte(i)}, 100))
	}
	if size := fileSize(t, filepath.Join(dir, journalName)); size > 8<<10 {
		t.Fatalf("journal is %d bytes with a 4 KiB compaction threshold", size)
	}
	if _, err := os.Stat(filepath.Join(dir, snapshotName)); err != nil {
		t.Fatalf("no snapshot: %v", err)
	}
}

func TestWritesAfterCloseFail(t *testing.T) {
	srv := newServer(t, t.TempDir(), Options{})
	s := connect(t, srv)
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Create(context.Background(), "/x", nil, meta.Persistent); !errors.Is(err, meta.ErrClosed) {
		t.Fatalf("Create after server Close: %v", err)
	}
	if _, err := srv.Connect(time.Second); !errors.Is(err, meta.ErrClosed) {
		t.Fatalf("Connect after Close: %v", err)
	}
	if err := srv.ExpireSession(s.SessionID()); err == nil {
		t.Fatal("ExpireSession of a closed session succeeded")
	}
}

func fileSize(t *testing.T, path string) int64 {
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Size()
}

func truncate(t *testing.T, path string, size int64) {
	if err := os.Truncate(path, size); err != nil {
		t.Fatal(err)
	}
}

func appendFile(t *testing.T, path string, b []byte) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(b); err != nil {
		t.Fatal(err)
	}
}

func flipByte(t *testing.T, path string, off int64) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[off] ^= 0x40
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
