package partitionlog

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/kqhq/kq/store/recordbatch"
	"github.com/kqhq/kq/store/wallclock"
)

// BenchmarkProducerCheck is the idempotence work of one leader append of
// one batch, checked then recorded, with one producer and with 10,000
// known to the partition.
func BenchmarkProducerCheck(b *testing.B) {
	for _, producers := range []int{1, 10_000} {
		b.Run(fmt.Sprintf("producers=%d", producers), func(b *testing.B) {
			l := scratchState()
			m := l.producers
			for id := range int64(producers) {
				m.entry(id+1).addBatch(0, producerBatch{lastSeq: 9, lastOffset: id, offsetDelta: 9})
			}
			h := header(idemBatch(b, idem{pid: int64(producers/2 + 1), seq: 10, records: 10}))
			infos := []batchInfo{{pos: 0, size: len(h)}}
			seq := int32(10)
			for b.Loop() {
				if _, dup, err := m.checkClient(h, infos); err != nil || dup {
					b.Fatal(err, dup)
				}
				if err := l.recordAppend(h, infos, nil); err != nil {
					b.Fatal(err)
				}
				seq += 10
				binary.BigEndian.PutUint32(h[recordbatch.PosBaseSequence:], uint32(seq))
			}
		})
	}
}

// BenchmarkAppendSmallBatch is a whole leader append of one 100-byte
// record, with and without a producer id: the difference is what
// idempotence costs an append.
func BenchmarkAppendSmallBatch(b *testing.B) {
	for _, pid := range []int64{0, 7} {
		name := "plain"
		if pid != 0 {
			name = "idempotent"
		}
		b.Run(name, func(b *testing.B) {
			l := benchLog(b, Config{})
			batch := buildBatch(b, batchSpec{records: 1, valueSize: 100, producer: pid})
			b.SetBytes(int64(len(batch)))
			for i := 0; b.Loop(); i++ {
				binary.BigEndian.PutUint64(batch, 0)
				if pid != 0 {
					binary.BigEndian.PutUint32(batch[recordbatch.PosBaseSequence:], uint32(i))
				}
				header(batch).Seal() // both pay it: the sequence changed
				if _, err := l.Append(batch, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkProducerStateLoad opens a clean log of KQ_BENCH_LOG_MB MiB
// (default 64) of 1 KiB idempotent batches from 1,000 producers, its
// pages dropped from the cache first: from the snapshot written on close,
// and without any snapshot (a header scan of the whole log, the cost of a
// first start on a log kq never snapshotted).
func BenchmarkProducerStateLoad(b *testing.B) {
	size := int64(64)
	if s, err := strconv.ParseInt(os.Getenv("KQ_BENCH_LOG_MB"), 10, 64); err == nil && s > 0 {
		size = s
	}
	dir := writeProducerLog(b, size<<20)
	for _, mode := range []string{"snapshot", "scan"} {
		b.Run(mode, func(b *testing.B) {
			b.SetBytes(size << 20)
			for b.Loop() {
				if mode == "scan" {
					removeSnapshots(b, dir)
				}
				dropCache(b, dir)
				o := logOptions{dir: dir, tp: testTP, cfg: Config{}, clock: wallclock.System{}, logger: discardLogger(), clean: true}
				l, err := openLog(o)
				if err != nil {
					b.Fatal(err)
				}
				if n := len(l.ProducerStates()); n != 1000 {
					b.Fatalf("%d producers", n)
				}
				if err := l.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// writeProducerLog writes a log of about size bytes and closes it.
func writeProducerLog(b *testing.B, size int64) string {
	b.Helper()
	l := benchLog(b, Config{SegmentBytes: 1 << 30})
	batch := buildBatch(b, batchSpec{records: 4, valueSize: 240, producer: 1, baseTs: time.Now().UnixMilli()})
	seqs := make([]int32, 1000)
	for i := 0; int64(i)*int64(len(batch)) < size; i++ {
		pid := i % 1000
		binary.BigEndian.PutUint64(batch, 0)
		binary.BigEndian.PutUint64(batch[recordbatch.PosProducerID:], uint64(pid))
		binary.BigEndian.PutUint32(batch[recordbatch.PosBaseSequence:], uint32(seqs[pid]))
		header(batch).Seal()
		if _, err := l.Append(batch, 0); err != nil {
			b.Fatal(err)
		}
		seqs[pid] += 4
	}
	if err := l.Close(); err != nil {
		b.Fatal(err)
	}
	return l.Dir()
}

// dropCache evicts the directory's files from the page cache, so an open
// reads from the disk.
func dropCache(b *testing.B, dir string) {
	b.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range entries {
		f, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			b.Fatal(err)
		}
		_ = unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED) // advice only: a kernel may ignore it
		f.Close()
	}
}
