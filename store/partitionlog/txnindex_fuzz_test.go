package partitionlog

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/kqhq/kq/store/vfs"
)

// FuzzTxnIndex feeds the .txnindex reader arbitrary files: it never
// panics, cuts a torn tail (what is left is whole entries that encode back
// to the file) and refuses an entry it cannot trust with
// errCorruptTxnIndex.
func FuzzTxnIndex(f *testing.F) {
	whole := appendTxnIndexEntry(appendTxnIndexEntry(nil, AbortedTxn{ProducerID: 1, FirstOffset: 0, LastOffset: 6, LastStableOffset: 2}),
		AbortedTxn{ProducerID: 3, FirstOffset: 9, LastOffset: 16, LastStableOffset: 12})
	f.Add(whole)
	f.Add(whole[:txnIndexEntrySize+5])
	f.Add([]byte{0, 1})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		s := &segment{base: 42, dir: dir, fs: vfs.OS{}}
		path := filepath.Join(dir, "00000000000000000042"+txnIndexSuffix)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		err := s.loadTxnIndex()
		if err != nil {
			if !errors.Is(err, errCorruptTxnIndex) {
				t.Fatalf("error %v is not errCorruptTxnIndex", err)
			}
			return
		}
		left, rerr := os.ReadFile(path)
		if rerr != nil {
			t.Fatal(rerr)
		}
		var again []byte
		for _, e := range s.txns.list() {
			again = appendTxnIndexEntry(again, e)
		}
		if string(again) != string(left) || len(left) != len(data)/txnIndexEntrySize*txnIndexEntrySize {
			t.Fatalf("%d bytes in, %d kept, %d entries", len(data), len(left), len(s.txns.list()))
		}
	})
}
