package embedded

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/kqhq/kq/store/meta"
)

// scriptTxns turns fuzz bytes into a valid sequence of transactions (each
// byte picks an op on a small set of paths; invalid ones are skipped) and
// returns their journal encoding, the offset where each record ends, and
// the snapshot encoding of the tree after each record.
func scriptTxns(script []byte) (journal []byte, ends []int, states [][]byte) {
	tr := newTree()
	paths := []string{"/a", "/b", "/a/x", "/a/y", "/b/s-"}
	for i, c := range script {
		p := paths[int(c>>3)%len(paths)]
		var op meta.Op
		switch c % 6 {
		case 0, 1:
			op = meta.CreateOp{Path: p, Data: []byte{c}, Mode: meta.CreateMode(c % 4)}
		case 2, 3:
			op = meta.SetOp{Path: p, Data: bytes.Repeat([]byte{c}, int(c)), Version: meta.AnyVersion}
		default:
			op = meta.DeleteOp{Path: p, Version: meta.AnyVersion}
		}
		pl, err := prepare(newDraft(tr, int64(c%2)), []meta.Op{op})
		if err != nil || len(pl.muts) == 0 {
			continue
		}
		t := txn{zxid: int64(i + 1), ms: int64(i), muts: pl.muts}
		for _, m := range t.muts {
			if _, err := tr.apply(m, t.zxid, t.ms); err != nil {
				panic(fmt.Sprintf("prepared mutation failed: %v", err))
			}
		}
		journal = appendFrame(journal, t)
		ends = append(ends, len(journal))
		states = append(states, encodeSnapshot(tr, t.zxid))
	}
	return journal, ends, states
}

// Whatever the cut point and whatever garbage follows it, recovery ends
// with exactly the records completed before the cut.
func FuzzTornJournalRecovery(f *testing.F) {
	f.Add([]byte{0, 8, 2, 16, 9, 4, 33, 1, 10}, uint16(40), []byte{0, 0, 0, 0})
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, uint16(1000), []byte{})
	f.Add([]byte{32, 33, 32, 33, 34}, uint16(3), []byte{0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4})
	f.Fuzz(func(t *testing.T, script []byte, cut uint16, garbage []byte) {
		journal, ends, states := scriptTxns(script)
		n := int(cut) % (len(journal) + 1)
		data := append(journal[:n:n], garbage...)
		complete := 0 // records intact in data (garbage may redo a cut one)
		for complete < len(ends) && ends[complete] <= len(data) &&
			bytes.Equal(data[:ends[complete]], journal[:ends[complete]]) {
			complete++
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, journalName), data, 0o644); err != nil {
			t.Fatal(err)
		}
		rec, err := recoverDir(dir, slog.New(slog.DiscardHandler))
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("recovery error not marked corrupt: %v", err)
			}
			return // garbage that happens to be framed like damage mid-journal
		}
		want := encodeSnapshot(newTree(), 0)
		if complete > 0 {
			want = states[complete-1]
		}
		if got := encodeSnapshot(rec.tree, rec.zxid); !bytes.Equal(got, want) {
			t.Fatalf("recovered state after cut at %d of %d differs from state after %d records", n, len(journal), complete)
		}
	})
}

// Arbitrary snapshot bytes never crash the decoder, and whatever decodes
// re-encodes to a snapshot that decodes to the same tree.
func FuzzDecodeSnapshot(f *testing.F) {
	journal, _, states := scriptTxns([]byte{0, 8, 2, 16, 9, 4, 33, 1, 10})
	_ = journal
	for _, s := range states {
		f.Add(s)
	}
	f.Add([]byte(snapshotMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		tr, zxid, err := decodeSnapshot(b)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("decode error not marked corrupt: %v", err)
			}
			return
		}
		again := encodeSnapshot(tr, zxid)
		tr2, zxid2, err := decodeSnapshot(again)
		if err != nil || zxid2 != zxid || !bytes.Equal(encodeSnapshot(tr2, zxid2), again) {
			t.Fatalf("re-encoded snapshot does not round-trip: %v", err)
		}
	})
}

// Arbitrary record payloads never crash the transaction decoder.
func FuzzDecodeTxn(f *testing.F) {
	journal, ends, _ := scriptTxns([]byte{0, 8, 2, 16, 9, 4})
	start := 0
	for _, end := range ends {
		f.Add(journal[start+frameHeader : end])
		start = end
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		tx, err := decodeTxn(payload)
		if err != nil {
			return
		}
		if got := appendTxn(nil, tx); len(got) > len(payload) {
			t.Fatalf("decoded txn re-encodes longer (%d) than its payload (%d)", len(got), len(payload))
		}
	})
}
