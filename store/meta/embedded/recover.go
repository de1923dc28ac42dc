package embedded

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
)

// recovered is the state a data directory holds.
type recovered struct {
	tree        *tree
	zxid        int64 // last transaction applied
	journalSize int64 // bytes of intact journal (the torn tail, if any, is cut)
}

// recoverDir loads the snapshot, then replays the journal records newer
// than it. A torn last record (an append interrupted by a crash) is cut
// off; damage anywhere else is ErrCorrupt.
func recoverDir(dir string, log *slog.Logger) (recovered, error) {
	rec, err := loadSnapshot(dir)
	if err != nil {
		return recovered{}, err
	}
	jpath := filepath.Join(dir, journalName)
	data, err := os.ReadFile(jpath)
	if errors.Is(err, fs.ErrNotExist) {
		return rec, nil
	}
	if err != nil {
		return recovered{}, fmt.Errorf("read journal: %w", err)
	}
	intact, err := replay(&rec, data)
	if err != nil {
		return recovered{}, fmt.Errorf("replay %s: %w", jpath, err)
	}
	if intact < len(data) {
		log.Warn("cutting torn journal tail", "journal", jpath, "offset", intact, "bytes", len(data)-intact)
		if err := os.Truncate(jpath, int64(intact)); err != nil {
			return recovered{}, fmt.Errorf("cut torn journal tail: %w", err)
		}
	}
	rec.journalSize = int64(intact)
	return rec, nil
}

func loadSnapshot(dir string) (recovered, error) {
	path := filepath.Join(dir, snapshotName)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return recovered{tree: newTree()}, nil
	}
	if err != nil {
		return recovered{}, fmt.Errorf("read snapshot: %w", err)
	}
	t, zxid, err := decodeSnapshot(data)
	if err != nil {
		return recovered{}, fmt.Errorf("load %s: %w", path, err)
	}
	return recovered{tree: t, zxid: zxid}, nil
}

// replay applies the journal's records to rec and returns how many bytes
// of data are intact records.
func replay(rec *recovered, data []byte) (int, error) {
	off := 0
	for off < len(data) {
		payload, size, ok := nextFrame(data[off:])
		if !ok {
			return off, tornOrCorrupt(data, off)
		}
		if err := replayRecord(rec, payload); err != nil {
			return off, fmt.Errorf("record at offset %d: %w", off, err)
		}
		off += size
	}
	return off, nil
}

// tornOrCorrupt decides whether the bad record at off is a torn tail
// (nothing intact follows it) or damage in the middle (an intact record
// starts where the bad one claims to end).
func tornOrCorrupt(data []byte, off int) error {
	rest := data[off:]
	if len(rest) < frameHeader {
		return nil
	}
	end := frameHeader + int(binary.BigEndian.Uint32(rest))
	if end >= len(rest) {
		return nil
	}
	if _, _, ok := nextFrame(rest[end:]); ok {
		return fmt.Errorf("%w: damaged record at offset %d is followed by intact ones", ErrCorrupt, off)
	}
	return nil
}

func replayRecord(rec *recovered, payload []byte) error {
	t, err := decodeTxn(payload)
	if err != nil {
		return err
	}
	if t.zxid <= rec.zxid {
		return nil // already in the snapshot
	}
	for _, m := range t.muts {
		if _, err := rec.tree.apply(m, t.zxid, t.ms); err != nil {
			return fmt.Errorf("%w: zxid %d: %v", ErrCorrupt, t.zxid, err)
		}
	}
	rec.zxid = t.zxid
	return nil
}
