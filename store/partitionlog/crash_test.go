package partitionlog

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/kqhq/kq/store/recordbatch"
)

// crashFixture is a log abandoned without a clean close (indexes still
// preallocated, nothing trimmed), as a power cut would leave it: three
// segments, the active one holding the last batches. It records where each
// batch of the active segment starts.
type crashFixture struct {
	dir       string
	all       []byte  // every batch as stored
	active    int64   // base offset of the active segment
	activePos []int64 // start of each active batch, then the file end
	activeEnd []int64 // log end offset after each active batch
	prefix    int     // bytes of `all` before the active segment
}

func newCrashFixture(t *testing.T) crashFixture {
	t.Helper()
	specs := []batchSpec{
		{records: 3, valueSize: 30}, {records: 1, valueSize: 200, codec: recordbatch.Gzip},
		{records: 4, valueSize: 10, codec: recordbatch.Zstd}, {records: 2, valueSize: 50},
		{records: 5, valueSize: 20, codec: recordbatch.LZ4}, {records: 1, valueSize: 90},
		{records: 2, valueSize: 40, codec: recordbatch.Snappy}, {records: 3, valueSize: 25},
		{records: 1, valueSize: 70}, {records: 2, valueSize: 15, codec: recordbatch.Gzip},
	}
	l := testLog(t, Config{SegmentBytes: 700, IndexIntervalBytes: 100, SegmentIndexBytes: 1200}, nil)
	for i, s := range specs {
		s.baseTs = 1000 + int64(i)*100
		if _, err := l.Append(buildBatch(t, s), int32(i/4)); err != nil {
			t.Fatal(err)
		}
	}
	if l.NumSegments() < 3 {
		t.Fatalf("fixture has %d segments", l.NumSegments())
	}
	f := crashFixture{dir: l.Dir(), all: readAll(t, l, 0), active: l.active().base}
	for b, pos := f.all, 0; len(b) > 0; {
		h, _ := splitBatch(b)
		if h.BaseOffset() >= f.active {
			if len(f.activePos) == 0 {
				f.prefix = pos
			}
			f.activePos = append(f.activePos, int64(pos-f.prefix))
			f.activeEnd = append(f.activeEnd, h.LastOffset()+1)
		}
		pos += len(h)
		b = b[len(h):]
	}
	f.activePos = append(f.activePos, int64(len(f.all)-f.prefix))
	abandon(l)
	return f
}

// abandon drops a log's files without flushing, trimming or writing
// anything, like a crash.
func abandon(l *Log) {
	l.writeMu.Lock()
	defer l.writeMu.Unlock()
	l.state.Store(logClosed)
	l.background.Wait()
	for _, s := range l.segs {
		s.close()
	}
}

// copyTo copies the fixture's partition directory to a fresh one.
func (f crashFixture) copyTo(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), testTP.dirName())
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(f.dir)
	for _, e := range entries {
		in, err := os.Open(filepath.Join(f.dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out, err := os.Create(filepath.Join(dst, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(out, in); err != nil {
			t.Fatal(err)
		}
		in.Close()
		out.Close()
	}
	return dst
}

func (f crashFixture) activePath(dir, suffix string) string {
	return segmentPath(dir, f.active, suffix)
}

// open opens a damaged copy after an unclean shutdown.
func (f crashFixture) open(t *testing.T, dir string, clean bool, recoveryPoint int64) *Log {
	t.Helper()
	l, err := openLog(logOptions{dir: dir, tp: testTP, cfg: Config{SegmentBytes: 700, IndexIntervalBytes: 100, SegmentIndexBytes: 1200},
		clock: newManualClock(0), logger: discardLogger(), clean: clean, recoveryPoint: recoveryPoint})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// checkPrefix asserts the reopened log holds exactly the first keep bytes
// of the active segment (whole batches) after the older segments, ends at
// leo, and takes appends again.
func (f crashFixture) checkPrefix(t *testing.T, l *Log, keep int64, leo int64) {
	t.Helper()
	if l.LogEndOffset() != leo {
		t.Fatalf("log end %d, want %d", l.LogEndOffset(), leo)
	}
	want := f.all[:f.prefix+int(keep)]
	if got := readAll(t, l, 0); !bytes.Equal(got, want) {
		t.Fatalf("kept %d bytes, want the first %d", len(got), len(want))
	}
	if err := checkReadable(l); err != nil {
		t.Fatal(err)
	}
	if fileSize(t, f.activePath(l.Dir(), logSuffix)) != keep {
		t.Fatalf("active file not cut to %d", keep)
	}
	info, err := l.Append(buildBatch(t, batchSpec{records: 2}), 9)
	if err != nil || info.FirstOffset != leo {
		t.Fatalf("append after recovery: %+v %v", info, err)
	}
}

// validPrefix returns the bytes and log end of the whole batches inside
// the first n bytes of the active segment.
func (f crashFixture) validPrefix(n int64) (int64, int64) {
	keep, leo := int64(0), f.active
	for i := 0; i+1 < len(f.activePos) && f.activePos[i+1] <= n; i++ {
		keep, leo = f.activePos[i+1], f.activeEnd[i]
	}
	return keep, leo
}

// cutPositions returns every byte position of the first active batch and
// its successor's header, and for every later batch the positions of each
// kind: just before and at its start, inside each header field group,
// at the first record byte, mid-records, and the last byte.
func (f crashFixture) cutPositions() []int64 {
	var cuts []int64
	for p := int64(0); p <= f.activePos[1]+recordbatch.HeaderSize; p++ {
		cuts = append(cuts, p)
	}
	for i := 2; i < len(f.activePos)-1; i++ {
		start, size := f.activePos[i], f.activePos[i+1]-f.activePos[i]
		for _, off := range []int64{-1, 0, 1, recordbatch.PosLength + 2, recordbatch.PosLeaderEpoch, recordbatch.PosCRC + 1, recordbatch.PosAttributes, recordbatch.PosMaxTimestamp + 4, recordbatch.HeaderSize - 1, recordbatch.HeaderSize, size / 2, size - 1} {
			cuts = append(cuts, start+off)
		}
	}
	return append(cuts, f.activePos[len(f.activePos)-1])
}

func TestCrashCutAtEveryKindOfPosition(t *testing.T) {
	f := newCrashFixture(t)
	for _, cut := range f.cutPositions() {
		dir := f.copyTo(t)
		if err := os.Truncate(f.activePath(dir, logSuffix), cut); err != nil {
			t.Fatal(err)
		}
		l := f.open(t, dir, false, f.active)
		keep, leo := f.validPrefix(cut)
		f.checkPrefix(t, l, keep, leo)
		l.Close()
	}
}

func TestCrashDamage(t *testing.T) {
	f := newCrashFixture(t)
	at := func(batch int, off int64) int64 { return f.activePos[batch] + off }
	end := f.activePos[len(f.activePos)-1]
	tests := []struct {
		name   string
		damage func(t *testing.T, dir string)
		clean  bool
		keep   int // active batches that survive
	}{
		{"flip length of batch 1", flipAt(f, at(1, recordbatch.PosLength+3)), false, 1},
		{"flip magic of batch 1", flipAt(f, at(1, recordbatch.PosMagic)), false, 1},
		{"flip crc of batch 2", flipAt(f, at(2, recordbatch.PosCRC)), false, 2},
		{"flip attributes of batch 0", flipAt(f, at(0, recordbatch.PosAttributes+1)), false, 0},
		{"flip a record byte of the last batch", flipAt(f, end-1), false, len(f.activePos) - 2},
		{"flip base offset backwards", func(t *testing.T, dir string) {
			writeAt(t, f.activePath(dir, logSuffix), at(1, 0), make([]byte, 8))
		}, false, 1},
		{"zero tail after the last batch", func(t *testing.T, dir string) {
			writeAt(t, f.activePath(dir, logSuffix), end, make([]byte, 4096))
		}, false, len(f.activePos) - 1},
		{"garbage tail after the last batch", func(t *testing.T, dir string) {
			writeAt(t, f.activePath(dir, logSuffix), end, bytes.Repeat([]byte{0x7f}, 100))
		}, false, len(f.activePos) - 1},
		{"index cut mid-entry", func(t *testing.T, dir string) {
			os.Truncate(f.activePath(dir, indexSuffix), 5)
		}, true, len(f.activePos) - 1},
		{"index missing", func(t *testing.T, dir string) {
			os.Remove(f.activePath(dir, indexSuffix))
		}, true, len(f.activePos) - 1},
		{"index points past the file", func(t *testing.T, dir string) {
			writeAt(t, f.activePath(dir, indexSuffix), 0, []byte{0, 0, 0, 1, 0x7f, 0, 0, 0})
		}, true, len(f.activePos) - 1},
		{"time index garbage", func(t *testing.T, dir string) {
			writeAt(t, f.activePath(dir, timeIndexSuffix), 0, bytes.Repeat([]byte{0x11}, 24))
		}, true, len(f.activePos) - 1},
		{"torn tail with a clean marker", func(t *testing.T, dir string) {
			os.Truncate(f.activePath(dir, logSuffix), end-3)
		}, true, len(f.activePos) - 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := f.copyTo(t)
			tt.damage(t, dir)
			l := f.open(t, dir, tt.clean, f.active)
			keep, leo := f.activePos[tt.keep], f.active
			if tt.keep > 0 {
				leo = f.activeEnd[tt.keep-1]
			}
			f.checkPrefix(t, l, keep, leo)
		})
	}
}

func TestCrashDamageInAnOlderSegmentDropsTheRest(t *testing.T) {
	f := newCrashFixture(t)
	dir := f.copyTo(t)
	// Second batch of the first segment.
	h, _ := splitBatch(f.all)
	writeAt(t, segmentPath(dir, 0, logSuffix), int64(len(h))+recordbatch.PosMagic, []byte{7})
	l := f.open(t, dir, false, 0)
	if l.NumSegments() != 1 || l.LogEndOffset() != h.LastOffset()+1 {
		t.Fatalf("%d segments, log end %d", l.NumSegments(), l.LogEndOffset())
	}
	if got := readAll(t, l, 0); !bytes.Equal(got, f.all[:len(h)]) {
		t.Fatal("prefix differs")
	}
	if e := l.LeaderEpochs().Entries(); len(e) != 1 || e[0].Epoch != 0 {
		t.Fatalf("epochs %v", e)
	}
}

func flipAt(f crashFixture, pos int64) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		path := f.activePath(dir, logSuffix)
		b := make([]byte, 1)
		fh, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer fh.Close()
		fh.ReadAt(b, pos)
		b[0] ^= 0xff
		fh.WriteAt(b, pos)
	}
}

func writeAt(t *testing.T, path string, pos int64, data []byte) {
	t.Helper()
	fh, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	if _, err := fh.WriteAt(data, pos); err != nil {
		t.Fatal(err)
	}
}
