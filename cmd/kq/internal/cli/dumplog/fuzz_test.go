package dumplog

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kqhq/kq/store/recordbatch"
)

// FuzzDumpCorruptFiles dumps arbitrary bytes as every kind of file, with
// every decoder: a corrupt file gives errors and text, never a panic.
func FuzzDumpCorruptFiles(f *testing.F) {
	good := batch(0, 0, 1, kv("k", "v"), kv("", "w"))
	f.Add(good, []byte{0, 0, 0, 1, 0, 0, 0, 0})
	f.Add(good[:40], []byte{})
	f.Add(append(good, batch(2, recordbatch.AttrControl, 5, kv("\x00\x00\x00\x01", "\x00\x00\x00\x00\x00\x03"))...), make([]byte, 12))
	bad := append([]byte(nil), good...)
	bad[recordbatch.PosAttributes+1] = byte(recordbatch.Zstd)
	f.Add(bad, []byte{0, 1, 2})
	f.Add(append(legacyMessage(0, 0, 0, nil, []byte("v")), legacyMessage(1, 1, 9, []byte("k"), nil)...), []byte{})
	f.Fuzz(func(t *testing.T, logData, other []byte) {
		dir := t.TempDir()
		var files []string
		for suffix, data := range map[string][]byte{".log": logData, ".index": other, ".timeindex": other, ".snapshot": other, ".txnindex": other} {
			p := filepath.Join(dir, "00000000000000000000"+suffix)
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, p)
		}
		for _, args := range []func(*flags){
			func(f *flags) { f.printData = true },
			func(f *flags) { f.offsets, f.printData = true, true },
			func(f *flags) { f.txn, f.printData = true, true },
			func(f *flags) { f.sanity = true },
		} {
			_, _, _ = runDump(t, args, files...) // errors are expected; a panic fails
		}
	})
}
