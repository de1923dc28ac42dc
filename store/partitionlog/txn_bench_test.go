package partitionlog

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/store/recordbatch"
)

// BenchmarkReadIsolation reads one log sequentially, 1 MiB per read, as a
// read_uncommitted consumer (below the high watermark) and as a
// read_committed one (below the last stable offset, plus the aborted
// transactions of each read). The log holds 16 MiB of transactional 16 KiB
// batches from four producers, a marker every third batch of each, one
// transaction in four aborted, every transaction decided.
func BenchmarkReadIsolation(b *testing.B) {
	l := benchLog(b, Config{})
	seqs := map[int64]int32{}
	for i := range 1024 {
		pid := int64(i%4 + 1)
		batch := buildBatch(b, batchSpec{records: 16, valueSize: 1000, text: true, producer: pid, seq: seqs[pid],
			editBatch: func(kb *kmsg.RecordBatch) { kb.Attributes |= recordbatch.AttrTransactional }})
		if _, err := l.Append(batch, 0); err != nil {
			b.Fatal(err)
		}
		if seqs[pid] += 16; seqs[pid]%48 == 0 {
			m := TxnMarker{ProducerID: pid, Commit: (seqs[pid]/48)%4 != 0}
			if _, err := l.AppendTxnMarker(m, 0); err != nil {
				b.Fatal(err)
			}
		}
	}
	for pid := range int64(4) {
		if _, err := l.AppendTxnMarker(TxnMarker{ProducerID: pid + 1, Commit: true}, 0); err != nil {
			b.Fatal(err)
		}
	}
	l.SetHighWatermark(l.LogEndOffset())
	if l.LastStableOffset() != l.HighWatermark() || len(l.AbortedTransactions(0, l.LogEndOffset())) == 0 {
		b.Fatalf("fixture: LSO %d HW %d", l.LastStableOffset(), l.HighWatermark())
	}
	for _, tt := range []struct {
		name      string
		committed bool
	}{{"read_uncommitted", false}, {"read_committed", true}} {
		b.Run(tt.name, func(b *testing.B) {
			offset, aborted := int64(0), 0
			var bytes int64
			for b.Loop() {
				limit := l.HighWatermark()
				if tt.committed {
					limit = l.LastStableOffset()
				}
				r, err := l.Read(offset, 1<<20, limit, true)
				if err != nil {
					b.Fatal(err)
				}
				if tt.committed {
					aborted += len(l.AbortedTransactions(offset, r.NextOffset))
				}
				bytes += int64(r.Len)
				if offset = r.NextOffset; r.Len == 0 || offset >= l.LogEndOffset() {
					offset = 0
				}
			}
			b.SetBytes(bytes / int64(max(b.N, 1)))
			_ = aborted
		})
	}
}
