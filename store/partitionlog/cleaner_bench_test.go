package partitionlog

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/kqhq/kq/store/recordbatch"
	"github.com/kqhq/kq/store/wallclock"
)

// BenchmarkClean measures one cleaning of a 32 MiB compacted log (8 MiB
// segments, batches of 16 records of 1 KiB text): read, map, rewrite,
// fsync and swap. The bytes counted are the log's size before cleaning.
func BenchmarkClean(b *testing.B) {
	cases := []struct {
		name  string
		keys  int
		codec recordbatch.Codec
	}{
		{"1000-keys", 1000, recordbatch.None},      // nearly every record superseded
		{"unique-keys", 1 << 30, recordbatch.None}, // nothing superseded: everything copied
		{"1000-keys-zstd", 1000, recordbatch.Zstd},
		{"unique-keys-lz4", 1 << 30, recordbatch.LZ4}, // every batch kept whole
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			src, cfg, size := cleanBenchFixture(b, tc.keys, tc.codec)
			b.SetBytes(size)
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				l := openBenchCopy(b, src, cfg)
				l.SetHighWatermark(l.LogEndOffset())
				plan, err := planCleaning(l, 5000)
				if err != nil || !l.cleaning.begin(plan.gen) {
					b.Fatal(err)
				}
				th := newCleanerThread(cleanerBuffers{dedupeBytes: 128 << 20, ioBytes: 512 << 10, loadFactor: 0.9}, nil)
				b.StartTimer()
				if _, err := th.clean(context.Background(), plan, 5000); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				l.Close()
				b.StartTimer()
			}
		})
	}
}

func cleanBenchFixture(b *testing.B, keys int, codec recordbatch.Codec) (dir string, cfg Config, size int64) {
	b.Helper()
	cfg = Config{Compacted: true, SegmentBytes: 8 << 20}
	l := benchLog(b, cfg)
	n := 0
	for l.Size() < 32<<20 {
		recs := make([]string, 16)
		for i := range recs {
			recs[i] = fmt.Sprintf("key-%d=%s", n%keys, wordsValue(n, 1000))
			n++
		}
		if _, err := l.Append(keyedBatch(b, batchSpec{codec: codec}, recs...), 0); err != nil {
			b.Fatal(err)
		}
	}
	rollNow(b, l)
	size = l.Size()
	if err := l.Close(); err != nil {
		b.Fatal(err)
	}
	return l.Dir(), cfg, size
}

func openBenchCopy(b *testing.B, src string, cfg Config) *Log {
	b.Helper()
	dst := filepath.Join(b.TempDir(), testTP.dirName())
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		b.Fatal(err)
	}
	l, err := openLog(logOptions{dir: dst, tp: testTP, cfg: cfg, clock: wallclock.System{}, logger: discardLogger(), clean: true, hw: 1 << 40})
	if err != nil {
		b.Fatal(err)
	}
	return l
}
