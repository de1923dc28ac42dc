package partitionlog

import (
	"bytes"
	"syscall"
	"testing"

	"github.com/kqhq/kq/store/vfs"
)

// FuzzTornAppend appends batches of fuzzed sizes over segments that roll,
// tears the write of one more at a fuzzed byte (the disk fills), then
// closes the log and opens it through the real filesystem, cleanly or not:
// the log must hold exactly the batches written before, end at their end,
// and take appends again.
func FuzzTornAppend(f *testing.F) {
	f.Add([]byte{10, 200, 3}, uint16(0), false)
	f.Add([]byte{50, 50, 50, 50, 50, 50}, uint16(61), true)
	f.Add([]byte{}, uint16(5), false)
	f.Add([]byte{255, 1, 255, 1, 255}, uint16(300), true)
	f.Fuzz(func(t *testing.T, sizes []byte, torn uint16, clean bool) {
		if len(sizes) > 24 {
			sizes = sizes[:24]
		}
		l, rules := faultyLog(t, Config{SegmentBytes: 1000, IndexIntervalBytes: 64})
		var written []byte
		for i, size := range sizes {
			b := buildBatch(t, batchSpec{records: 1 + i%3, valueSize: int(size) / 2})
			info := mustAppend(t, l, b)
			binaryPutBaseOffset(b, info.FirstOffset)
			written = append(written, b...)
		}
		leo := l.LogEndOffset()
		last := buildBatch(t, batchSpec{records: 2, valueSize: 40})
		rules.Add(&vfs.Rule{Kinds: vfs.OpWrite, Name: "*.log", Err: syscall.ENOSPC, Short: int(torn) % len(last)})
		_, err := l.Append(last, 0)
		wantStorageError(t, err, syscall.ENOSPC)
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}

		l2 := openAgain(t, l, clean, l.RecoveryPoint())
		if got := readAll(t, l2, 0); l2.LogEndOffset() != leo || !bytes.Equal(got, written) {
			t.Fatalf("reopened: log end %d (want %d), %d bytes (want %d)", l2.LogEndOffset(), leo, len(got), len(written))
		}
		if info := mustAppend(t, l2, buildBatch(t, batchSpec{})); info.FirstOffset != leo {
			t.Fatalf("append after reopening at %d, want %d", info.FirstOffset, leo)
		}
	})
}

// binaryPutBaseOffset sets a batch's base offset as the log assigned it,
// so the bytes compare with what is read back.
func binaryPutBaseOffset(b []byte, offset int64) { header(b).SetBaseOffset(offset) }
