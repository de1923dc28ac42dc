package partitionlog

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/kqhq/kq/store/vfs"
)

func openTestManager(t *testing.T, dirs []string, opts ManagerOptions) *Manager {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = discardLogger()
	}
	m, err := OpenManager(dirs, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

func tpN(i int) TopicPartition { return TopicPartition{Topic: "t-x", Partition: int32(i)} }

func TestManagerPlacesPartitionsInTheEmptiestDir(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	// A partition already on disk in a counts at startup.
	m := openTestManager(t, []string{a}, ManagerOptions{})
	if _, err := m.Create(tpN(0), [16]byte{1}, Config{}); err != nil {
		t.Fatal(err)
	}
	m.Close()
	m = openTestManager(t, []string{a, b}, ManagerOptions{})
	var where []string
	for i := 1; i <= 3; i++ {
		l, err := m.Create(tpN(i), [16]byte{1}, Config{})
		if err != nil {
			t.Fatal(err)
		}
		where = append(where, filepath.Dir(l.Dir()))
	}
	if want := []string{b, a, b}; !slices.Equal(where, want) {
		t.Fatalf("placed in %v, want %v", where, want)
	}
}

func TestManagerReopenKeepsState(t *testing.T) {
	dir := t.TempDir()
	meta := &MetaProperties{BrokerID: 3, ClusterID: "c1"}
	m := openTestManager(t, []string{dir}, ManagerOptions{Meta: meta})
	l, err := m.Create(testTP, [16]byte{0xaa, 0xbb}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if _, err := l.Append(buildBatch(t, batchSpec{records: 2}), 4); err != nil {
			t.Fatal(err)
		}
	}
	l.SetHighWatermark(8)
	if err := l.AdvanceLogStartOffset(3); err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{
		recoveryPointFile:     "0\n1\norders 3 10\n",
		replicationOffsetFile: "0\n1\norders 3 8\n",
		logStartOffsetFile:    "0\n1\norders 3 3\n",
		filepath.Join(testTP.dirName(), leaderEpochFile):       "0\n1\n4 3\n",
		filepath.Join(testTP.dirName(), partitionMetadataFile): "version: 0\ntopic_id: qrsAAAAAAAAAAAAAAAAAAA\n",
	} {
		if got, _ := os.ReadFile(filepath.Join(dir, file)); string(got) != want {
			t.Errorf("%s = %q, want %q", file, got, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, cleanShutdownFile)); err != nil {
		t.Fatalf("no clean-shutdown marker: %v", err)
	}
	if got, ok, err := ReadMetaProperties(dir); err != nil || !ok || got != (MetaProperties{BrokerID: 3, ClusterID: "c1"}) {
		t.Fatalf("meta.properties %+v %v %v", got, ok, err)
	}

	m = openTestManager(t, []string{dir}, ManagerOptions{Meta: meta})
	if _, err := os.Stat(filepath.Join(dir, cleanShutdownFile)); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("clean-shutdown marker survived the start")
	}
	l, ok := m.Get(testTP)
	if !ok {
		t.Fatal("partition lost")
	}
	if l.LogEndOffset() != 10 || l.HighWatermark() != 8 || l.LogStartOffset() != 3 || l.RecoveryPoint() != 10 || l.TopicID() != [16]byte{0xaa, 0xbb} {
		t.Fatalf("leo %d hw %d start %d rp %d id %x", l.LogEndOffset(), l.HighWatermark(), l.LogStartOffset(), l.RecoveryPoint(), l.TopicID())
	}
}

func TestManagerUncleanRestartRecovers(t *testing.T) {
	dir := t.TempDir()
	m := openTestManager(t, []string{dir}, ManagerOptions{})
	l, _ := m.Create(testTP, [16]byte{1}, Config{})
	mustAppend(t, l, buildBatch(t, batchSpec{records: 2}))
	mustAppend(t, l, buildBatch(t, batchSpec{records: 2}))
	seg := segmentPath(l.Dir(), 0, logSuffix)
	m.Close()
	// A crash: no marker, and the second batch torn.
	os.Remove(filepath.Join(dir, cleanShutdownFile))
	os.Truncate(seg, fileSize(t, seg)-5)
	m = openTestManager(t, []string{dir}, ManagerOptions{})
	l, _ = m.Get(testTP)
	if l.LogEndOffset() != 2 || l.RecoveryPoint() != 2 || l.HighWatermark() != 0 {
		t.Fatalf("leo %d rp %d hw %d", l.LogEndOffset(), l.RecoveryPoint(), l.HighWatermark())
	}
}

func TestManagerDelete(t *testing.T) {
	dir := t.TempDir()
	// The delay must outlast the checks below even on a loaded machine (a
	// 50 ms delay made the in-flight read race the removal under CI load);
	// waitFor allows 5 s for the removal itself.
	m := openTestManager(t, []string{dir}, ManagerOptions{FileDeleteDelay: time.Second})
	l, _ := m.Create(testTP, [16]byte{1}, Config{})
	mustAppend(t, l, buildBatch(t, batchSpec{records: 2}))
	r, err := l.Read(0, 1000, 1<<62, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Delete(testTP); err != nil {
		t.Fatal(err)
	}
	if _, ok := m.Get(testTP); ok {
		t.Fatal("still listed")
	}
	if data, err := os.ReadFile(filepath.Join(dir, recoveryPointFile)); err != nil || string(data) != "0\n0\n" {
		t.Fatalf("checkpoint after delete: %q %v", data, err)
	}
	renamed, _ := filepath.Glob(filepath.Join(dir, testTP.dirName()+".*"+dirDeleteSuffix))
	if len(renamed) != 1 || len(strings.TrimSuffix(strings.TrimPrefix(filepath.Base(renamed[0]), testTP.dirName()+"."), dirDeleteSuffix)) != 32 {
		t.Fatalf("renamed dirs %v", renamed)
	}
	if _, err := l.Append(buildBatch(t, batchSpec{}), 0); !errors.Is(err, ErrClosed) {
		t.Fatalf("append to deleted: %v", err)
	}
	if b, err := r.Bytes(); err != nil || len(b) == 0 {
		t.Fatalf("in-flight read lost its file: %v", err)
	}
	// Re-creating the partition starts empty while the old one lingers.
	l2, err := m.Create(testTP, [16]byte{2}, Config{})
	if err != nil || l2.LogEndOffset() != 0 {
		t.Fatalf("re-create: %v leo %d", err, l2.LogEndOffset())
	}
	waitFor(t, "directory removal", func() bool {
		_, err := os.Stat(renamed[0])
		return errors.Is(err, os.ErrNotExist)
	})
}

func TestManagerStartupCleansLeftovers(t *testing.T) {
	dir := t.TempDir()
	stray := filepath.Join(dir, "gone-0.0123456789abcdef0123456789abcdef-delete")
	os.MkdirAll(stray, 0o755)
	os.MkdirAll(filepath.Join(dir, "not a partition"), 0o755)
	m := openTestManager(t, []string{dir}, ManagerOptions{})
	l, _ := m.Create(testTP, [16]byte{1}, Config{})
	leftover := segmentPath(l.Dir(), 500, logSuffix) + deletedSuffix
	os.WriteFile(leftover, []byte("x"), 0o644)
	os.WriteFile(segmentPath(l.Dir(), 700, indexSuffix), []byte("orphan"), 0o644)
	m.Close()
	openTestManager(t, []string{dir}, ManagerOptions{})
	for _, p := range []string{stray, leftover, segmentPath(l.Dir(), 700, indexSuffix)} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s survived startup", p)
		}
	}
}

func TestManagerRefusesForeignOrLockedDirs(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
		meta  *MetaProperties
		want  error
	}{
		{"other broker id", func(t *testing.T, dir string) {
			WriteMetaProperties(dir, MetaProperties{BrokerID: 2})
		}, &MetaProperties{BrokerID: 1}, ErrInconsistentMeta},
		{"other cluster id", func(t *testing.T, dir string) {
			WriteMetaProperties(dir, MetaProperties{BrokerID: 1, ClusterID: "a"})
		}, &MetaProperties{BrokerID: 1, ClusterID: "b"}, ErrInconsistentMeta},
		{"locked by another manager", func(t *testing.T, dir string) {
			openTestManager(t, []string{dir}, ManagerOptions{})
		}, nil, ErrLogDirOffline},
		{"same partition in two dirs", func(t *testing.T, dir string) {
			os.MkdirAll(filepath.Join(dir, "a", "t-0"), 0o755)
			os.MkdirAll(filepath.Join(dir, "b", "t-0"), 0o755)
		}, nil, errFatalDir},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.setup(t, dir)
			dirs := []string{dir}
			if tt.want == errFatalDir {
				dirs = []string{filepath.Join(dir, "a"), filepath.Join(dir, "b")}
			}
			m, err := OpenManager(dirs, ManagerOptions{Logger: discardLogger(), Meta: tt.meta})
			if !errors.Is(err, tt.want) {
				if m != nil {
					m.Close()
				}
				t.Fatalf("err %v, want %v", err, tt.want)
			}
		})
	}
}

func TestManagerTakesAFailedDirOffline(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	var reported atomic.Value
	var rules vfs.Rules
	m := openTestManager(t, []string{a, b}, ManagerOptions{
		FS: vfs.WithFaults(vfs.OS{}, &rules), OnDirOffline: func(dir string, err error) { reported.Store(dir) },
	})
	la, _ := m.Create(tpN(0), [16]byte{1}, Config{})
	lb, _ := m.Create(tpN(1), [16]byte{1}, Config{})
	la2, _ := m.Create(tpN(2), [16]byte{1}, Config{})
	if filepath.Dir(la.Dir()) != a || filepath.Dir(la2.Dir()) != a {
		t.Fatal("unexpected placement")
	}
	rules.Add(&vfs.Rule{Name: filepath.Join(a, "*", "*"), Err: syscall.EIO}) // the disk under a fails
	if _, err := la.Append(buildBatch(t, batchSpec{}), 0); !errors.Is(err, ErrLogDirOffline) {
		t.Fatalf("append on failed disk: %v", err)
	}
	if got := m.OfflineDirs(); !slices.Equal(got, []string{a}) || reported.Load() != a {
		t.Fatalf("offline %v, reported %v", got, reported.Load())
	}
	if _, err := la2.Read(0, 10, 1<<62, true); !errors.Is(err, ErrLogDirOffline) {
		t.Fatalf("other partition of the failed dir: %v", err)
	}
	if _, err := lb.Append(buildBatch(t, batchSpec{}), 0); err != nil {
		t.Fatalf("healthy dir: %v", err)
	}
	l3, err := m.Create(tpN(3), [16]byte{1}, Config{})
	if err != nil || filepath.Dir(l3.Dir()) != b {
		t.Fatalf("create after failure went to %v: %v", l3, err)
	}
	m.Close()
	if _, err := os.Stat(filepath.Join(a, cleanShutdownFile)); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("the failed dir claims a clean shutdown")
	}
	if _, err := os.Stat(filepath.Join(b, cleanShutdownFile)); err != nil {
		t.Fatal("the healthy dir has no clean-shutdown marker")
	}
}

func TestManagerCreateIsIdempotentPerTopicID(t *testing.T) {
	m := openTestManager(t, []string{t.TempDir()}, ManagerOptions{})
	l1, _ := m.Create(testTP, [16]byte{1}, Config{})
	l2, err := m.Create(testTP, [16]byte{1}, Config{})
	if err != nil || l1 != l2 {
		t.Fatalf("second create: %v", err)
	}
	if _, err := m.Create(testTP, [16]byte{2}, Config{}); !errors.Is(err, ErrInconsistentTopicID) {
		t.Fatalf("other topic id: %v", err)
	}
}

func TestCheckpointFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ckpt")
	want := map[TopicPartition]int64{{"a-b", 0}: 5, {"a", 12}: 1 << 40}
	if err := writeOffsetCheckpoint(vfs.OS{}, path, want); err != nil {
		t.Fatal(err)
	}
	got, err := readOffsetCheckpoint(vfs.OS{}, path)
	if err != nil || len(got) != 2 || got[TopicPartition{"a-b", 0}] != 5 || got[TopicPartition{"a", 12}] != 1<<40 {
		t.Fatalf("round trip %v %v", got, err)
	}
	for _, bad := range []string{"1\n0\n", "0\n2\na 0 1\n", "0\n1\na 0\n", "0\n1\na x 1\n", "zero\n"} {
		os.WriteFile(path, []byte(bad), 0o644)
		if _, err := readOffsetCheckpoint(vfs.OS{}, path); !errors.Is(err, errBadCheckpoint) {
			t.Errorf("%q accepted: %v", bad, err)
		}
	}
	if got, err := readOffsetCheckpoint(vfs.OS{}, filepath.Join(dir, "missing")); err != nil || len(got) != 0 {
		t.Fatalf("missing file: %v %v", got, err)
	}
}

func TestNames(t *testing.T) {
	for _, tt := range []struct {
		name string
		tp   TopicPartition
		ok   bool
	}{
		{"orders-3", TopicPartition{"orders", 3}, true},
		{"my-topic-12", TopicPartition{"my-topic", 12}, true},
		{"orders-03", TopicPartition{}, false},
		{"orders-", TopicPartition{}, false},
		{"-1", TopicPartition{}, false},
		{"orders", TopicPartition{}, false},
	} {
		if tp, ok := parseDirName(tt.name); ok != tt.ok || tp != tt.tp {
			t.Errorf("parseDirName(%q) = %v %v", tt.name, tp, ok)
		}
	}
	if base, ok := parseSegmentName("00000000000000001234.log"); !ok || base != 1234 {
		t.Errorf("segment name: %d %v", base, ok)
	}
	id := [16]byte{0xde, 0xad, 0xbe, 0xef}
	if got, err := ParseTopicID(TopicIDString(id)); err != nil || got != id || len(TopicIDString(id)) != 22 {
		t.Errorf("topic id round trip: %x %v", got, err)
	}
}
