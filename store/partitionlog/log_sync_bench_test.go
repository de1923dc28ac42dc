package partitionlog

import (
	"encoding/binary"
	"path/filepath"
	"testing"

	"github.com/kqhq/kq/store/vfs"
	"github.com/kqhq/kq/store/wallclock"
)

// BenchmarkGroupCommit16KiB is producers appending 16 KiB records, one
// batch each, concurrently to one log, each waiting until its append counts
// as stored: at once under pagecache, after the fsync covering it under
// group-commit. It reports how many appends one fsync served. Compare the
// two modes' MB/s, run interleaved (-count with both sub-benchmarks).
func BenchmarkGroupCommit16KiB(b *testing.B) {
	for _, mode := range []FlushMode{FlushPageCache, FlushGroupCommit} {
		b.Run(mode.String(), func(b *testing.B) {
			gate := newSyncGate() // never closed: it only counts fsyncs
			gate.arrived = make(chan struct{}, 1<<20)
			o := logOptions{
				fs: vfs.WithFaults(vfs.OS{}, gate), dir: filepath.Join(b.TempDir(), testTP.dirName()), tp: testTP,
				cfg: Config{FlushMode: mode}, clock: wallclock.System{}, logger: discardLogger(),
			}
			l, err := createLog(o, [16]byte{1})
			if err != nil {
				b.Fatal(err)
			}
			defer l.Close()
			size := len(buildBatch(b, batchSpec{records: 1, valueSize: 16 << 10}))
			b.SetBytes(int64(size))
			b.SetParallelism(8)
			b.RunParallel(func(pb *testing.PB) {
				batch := buildBatch(b, batchSpec{records: 1, valueSize: 16 << 10})
				for pb.Next() {
					binary.BigEndian.PutUint64(batch, 0)
					info, err := l.Append(batch, 0)
					if err != nil {
						b.Error(err)
						return
					}
					awaitDurable(b, l, info.LastOffset+1)
				}
			})
			if n := gate.count(); mode == FlushGroupCommit && n > 0 {
				b.ReportMetric(float64(b.N)/float64(n), "appends/fsync")
			}
		})
	}
}

// awaitDurable blocks until end counts as stored.
func awaitDurable(b *testing.B, l *Log, end int64) {
	for {
		done, wake, err := l.Durable(end)
		if err != nil {
			b.Error(err)
			return
		}
		if done {
			return
		}
		<-wake
	}
}
