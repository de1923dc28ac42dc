package partitionlog

import (
	"encoding/binary"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/kqhq/kq/store/recordbatch"
	"github.com/kqhq/kq/store/wallclock"
)

// benchBatch is one uncompressed 16 KiB batch of 16 records of 1 KiB.
func benchBatch(b *testing.B) []byte {
	return buildBatch(b, batchSpec{records: 16, valueSize: 1000, text: true})
}

// appendReset appends batch after restoring the producer's base offset
// (Append patched it in place the previous time).
func appendReset(b *testing.B, l *Log, batch []byte) {
	binary.BigEndian.PutUint64(batch, 0)
	if _, err := l.Append(batch, 0); err != nil {
		b.Fatal(err)
	}
}

func benchLog(b *testing.B, cfg Config) *Log {
	o := logOptions{dir: filepath.Join(b.TempDir(), testTP.dirName()), tp: testTP, cfg: cfg, clock: wallclock.System{}, logger: discardLogger()}
	l, err := createLog(o, [16]byte{1})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { l.Close() })
	return l
}

// BenchmarkAppend16KiB appends 16 KiB batches (validation included) and,
// for comparison, writes the same bytes with plain sequential write(2) to
// a file on the same disk.
func BenchmarkAppend16KiB(b *testing.B) {
	batch := benchBatch(b)
	b.Run("log", func(b *testing.B) {
		l := benchLog(b, Config{})
		b.SetBytes(int64(len(batch)))
		for b.Loop() {
			appendReset(b, l, batch)
		}
	})
	b.Run("plain-write", func(b *testing.B) {
		f, err := os.Create(filepath.Join(b.TempDir(), "plain"))
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		b.SetBytes(int64(len(batch)))
		for b.Loop() {
			if _, err := f.Write(batch); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkAppendVsPlainWrite interleaves one log append and one plain
// write of the same 16 KiB per iteration, so both meet the same disk and
// page-cache conditions, and reports log throughput / plain throughput.
func BenchmarkAppendVsPlainWrite(b *testing.B) {
	batch := benchBatch(b)
	l := benchLog(b, Config{})
	f, err := os.Create(filepath.Join(b.TempDir(), "plain"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var logTime, plainTime time.Duration
	b.SetBytes(2 * int64(len(batch)))
	for b.Loop() {
		t0 := time.Now()
		appendReset(b, l, batch)
		t1 := time.Now()
		if _, err := f.Write(batch); err != nil {
			b.Fatal(err)
		}
		logTime += t1.Sub(t0)
		plainTime += time.Since(t1)
	}
	b.ReportMetric(float64(plainTime)/float64(logTime), "log/plain")
}

// BenchmarkValidate measures leader validation per codec (CRC and record
// decoding, decompression included) of a 16-record batch.
func BenchmarkValidate(b *testing.B) {
	rules := leaderRules{cfg: DefaultConfig(), now: 5000}
	for _, c := range []struct {
		name  string
		codec recordbatch.Codec
	}{{"none", recordbatch.None}, {"gzip", recordbatch.Gzip}, {"snappy", recordbatch.Snappy}, {"lz4", recordbatch.LZ4}, {"zstd", recordbatch.Zstd}} {
		b.Run(c.name, func(b *testing.B) {
			batch := buildBatch(b, batchSpec{records: 16, valueSize: 1000, codec: c.codec, text: true})
			b.SetBytes(16 * 1000) // uncompressed payload bytes
			for b.Loop() {
				if _, err := validateLeader(batch, rules); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkValidateSmallRecords is the record walk where it costs most
// per byte: a producer's batch of 1,000 records of 100 bytes, uncompressed.
func BenchmarkValidateSmallRecords(b *testing.B) {
	rules := leaderRules{cfg: DefaultConfig(), now: 5000}
	batch := buildBatch(b, batchSpec{records: 1000, valueSize: 100, codec: recordbatch.None})
	b.SetBytes(int64(len(batch)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := validateLeader(batch, rules); err != nil {
			b.Fatal(err)
		}
	}
}

// bigLog is a 1 GiB log built once per test binary run and removed by
// TestMain.
var bigLog struct {
	once sync.Once
	dir  string
	err  error
}

const bigLogBytes = 1 << 30

func bigLogDir(b *testing.B) string {
	bigLog.once.Do(func() {
		bigLog.dir, bigLog.err = os.MkdirTemp("", "partitionlog-bench-")
		if bigLog.err != nil {
			return
		}
		o := logOptions{dir: filepath.Join(bigLog.dir, testTP.dirName()), tp: testTP, cfg: Config{}, clock: wallclock.System{}, logger: discardLogger()}
		l, err := createLog(o, [16]byte{1})
		if err != nil {
			bigLog.err = err
			return
		}
		batch := benchBatch(b)
		for l.Size() < bigLogBytes {
			appendReset(b, l, batch)
		}
		bigLog.err = l.Close()
	})
	if bigLog.err != nil {
		b.Fatal(bigLog.err)
	}
	return filepath.Join(bigLog.dir, testTP.dirName())
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bigLog.dir != "" {
		os.RemoveAll(bigLog.dir)
	}
	os.Exit(code)
}

func openBench(b *testing.B, dir string) *Log {
	l, err := openLog(logOptions{dir: dir, tp: testTP, cfg: Config{}, clock: wallclock.System{}, logger: discardLogger(), clean: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { l.Close() })
	return l
}

// BenchmarkSequentialRead1GiB reads a 1 GiB log from start to end in 1 MiB
// fetches, as a consumer catching up would: with pread into a buffer, and
// with sendfile(2) to /dev/null as the broker sends.
func BenchmarkSequentialRead1GiB(b *testing.B) {
	l := openBench(b, bigLogDir(b))
	b.Run("pread", func(b *testing.B) {
		buf := make([]byte, 2<<20)
		b.SetBytes(l.Size())
		for b.Loop() {
			scanLog(b, l, func(r ReadResult) error {
				_, err := r.File.ReadAt(buf[:r.Len], r.Pos)
				return err
			})
		}
	})
	b.Run("sendfile", func(b *testing.B) {
		null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		if err != nil {
			b.Fatal(err)
		}
		defer null.Close()
		b.SetBytes(l.Size())
		for b.Loop() {
			scanLog(b, l, func(r ReadResult) error { return sendfile(null, r) })
		}
	})
}

func scanLog(b *testing.B, l *Log, send func(ReadResult) error) {
	for off := int64(0); off < l.LogEndOffset(); {
		r, err := l.Read(off, 1<<20, math.MaxInt64, true)
		if err != nil {
			b.Fatal(err)
		}
		if err := send(r); err != nil {
			b.Fatal(err)
		}
		off = nextOffsetAfter(b, r)
	}
}

// nextOffsetAfter reads the last batch header of a region to find where
// the next fetch starts (a consumer learns it from the records).
func nextOffsetAfter(b *testing.B, r ReadResult) int64 {
	sc := newHeaderScanner(r.File, r.Pos, r.Pos+int64(r.Len))
	defer sc.release()
	last := int64(-1)
	for _, h, ok := sc.next(); ok; _, h, ok = sc.next() {
		last = h.LastOffset()
	}
	if sc.err != nil {
		b.Fatal(sc.err)
	}
	return last + 1
}

func sendfile(dst *os.File, r ReadResult) error {
	pos := r.Pos
	for left := int(r.Len); left > 0; {
		n, err := unix.Sendfile(int(dst.Fd()), int(r.File.Fd()), &pos, left)
		if err != nil {
			return err
		}
		if n == 0 {
			return io.ErrUnexpectedEOF
		}
		left -= n
	}
	return nil
}

// BenchmarkLookup1000Segments reads one batch at a random offset of a log
// of 1,000 segments: segment binary search, index lookup, header pread.
func BenchmarkLookup1000Segments(b *testing.B) {
	batch := buildBatch(b, batchSpec{records: 4, valueSize: 200})
	l := benchLog(b, Config{SegmentBytes: int64(20 * len(batch)), SegmentIndexBytes: 4096, IndexIntervalBytes: 1024})
	for l.NumSegments() < 1000 {
		appendReset(b, l, batch)
	}
	l.background.Wait() // the fsyncs of rolled segments, not part of a lookup
	leo := l.LogEndOffset()
	rng := rand.New(rand.NewPCG(1, 2))
	b.Run("read", func(b *testing.B) {
		for b.Loop() {
			off := rng.Int64N(leo)
			r, err := l.Read(off, 1, math.MaxInt64, true)
			if err != nil || r.FirstOffset > off {
				b.Fatal(r, err)
			}
		}
	})
	// Without the header pread: segment search and index lookup only.
	b.Run("position", func(b *testing.B) {
		for b.Loop() {
			off := rng.Int64N(leo)
			l.mu.RLock()
			seg := l.segs[l.floorSegment(off)]
			pos := seg.offsets.lookup(off - seg.base)
			l.mu.RUnlock()
			if pos < 0 {
				b.Fatal(pos)
			}
		}
	})
}
