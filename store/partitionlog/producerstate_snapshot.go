package partitionlog

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/kqhq/kq/store/vfs"
)

// A producer snapshot, <20-digit offset>.snapshot in the partition
// directory, is Kafka's ProducerStateManager file (version 1), so a log
// dir moves between Kafka and kq with its producer state. It holds the
// state of the log below <offset>, big-endian:
//
//	offset  size  field
//	------  ----  --------------------------------------------------
//	     0     2  version (1)
//	     2     4  CRC32C of bytes 6..end
//	     6     4  entry count
//	    10    46  per producer:
//	                producer id            int64
//	                epoch                  int16
//	                last sequence          int32  (-1: no batch)
//	                last offset            int64  (-1: no batch)
//	                offset delta           int32  of the last batch
//	                timestamp              int64  last batch max timestamp
//	                coordinator epoch      int32  (-1: no marker yet)
//	                current txn first off  int64  (-1: no ongoing txn)
//
// Only each producer's last batch is kept (as in Kafka); the batches after
// the snapshot offset are read back from the log.
const (
	snapshotSuffix      = ".snapshot"
	snapshotVersion     = 1
	snapshotHeaderSize  = 10
	snapshotEntrySize   = 46
	snapshotCRCStart    = 6
	snapshotNoTxnOffset = -1
)

// snapshotCRCTable is CRC-32C, which Kafka's snapshot files use as its
// record batches do.
var snapshotCRCTable = crc32.MakeTable(crc32.Castagnoli)

// errCorruptSnapshot marks a snapshot file that does not decode; the log
// deletes it and falls back to an older one or to the log itself.
var errCorruptSnapshot = errors.New("corrupt producer snapshot")

func snapshotPath(dir string, offset int64) string { return segmentPath(dir, offset, snapshotSuffix) }

// parseSnapshotName returns the offset of a "<20 digits>.snapshot" name.
func parseSnapshotName(name string) (int64, bool) {
	digits, ok := strings.CutSuffix(name, snapshotSuffix)
	if !ok || len(digits) != 20 {
		return 0, false
	}
	o, err := strconv.ParseInt(digits, 10, 64)
	return o, err == nil && o >= 0
}

// encodeProducerSnapshot writes the state in Kafka's layout, producers in
// id order so equal states give equal files.
func encodeProducerSnapshot(m producerMap) []byte {
	ids := make([]int64, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	buf := make([]byte, snapshotHeaderSize, snapshotHeaderSize+snapshotEntrySize*len(ids))
	binary.BigEndian.PutUint16(buf, snapshotVersion)
	binary.BigEndian.PutUint32(buf[snapshotCRCStart:], uint32(len(ids)))
	for _, id := range ids {
		buf = appendSnapshotEntry(buf, id, m[id])
	}
	binary.BigEndian.PutUint32(buf[2:], crc32.Checksum(buf[snapshotCRCStart:], snapshotCRCTable))
	return buf
}

func appendSnapshotEntry(buf []byte, id int64, e *producerEntry) []byte {
	last, ok := e.last()
	if !ok {
		last = producerBatch{lastSeq: noSequence, lastOffset: -1}
	}
	buf = binary.BigEndian.AppendUint64(buf, uint64(id))
	buf = binary.BigEndian.AppendUint16(buf, uint16(e.epoch))
	buf = binary.BigEndian.AppendUint32(buf, uint32(last.lastSeq))
	buf = binary.BigEndian.AppendUint64(buf, uint64(last.lastOffset))
	buf = binary.BigEndian.AppendUint32(buf, uint32(last.offsetDelta))
	buf = binary.BigEndian.AppendUint64(buf, uint64(e.lastTimestamp))
	buf = binary.BigEndian.AppendUint32(buf, uint32(e.coordinatorEpoch))
	return binary.BigEndian.AppendUint64(buf, uint64(e.txnFirst))
}

// decodeProducerSnapshot reads a snapshot file's bytes; every failure wraps
// errCorruptSnapshot.
func decodeProducerSnapshot(data []byte) (producerMap, error) {
	if len(data) < snapshotHeaderSize {
		return nil, fmt.Errorf("%d bytes, the header needs %d: %w", len(data), snapshotHeaderSize, errCorruptSnapshot)
	}
	if v := binary.BigEndian.Uint16(data); v != snapshotVersion {
		return nil, fmt.Errorf("version %d: %w", v, errCorruptSnapshot)
	}
	if got, want := crc32.Checksum(data[snapshotCRCStart:], snapshotCRCTable), binary.BigEndian.Uint32(data[2:]); got != want {
		return nil, fmt.Errorf("crc32c %08x, file says %08x: %w", got, want, errCorruptSnapshot)
	}
	count := int64(int32(binary.BigEndian.Uint32(data[snapshotCRCStart:])))
	if count < 0 || int64(len(data)) != snapshotHeaderSize+count*snapshotEntrySize {
		return nil, fmt.Errorf("%d entries in %d bytes: %w", count, len(data), errCorruptSnapshot)
	}
	m := make(producerMap, count)
	for p := data[snapshotHeaderSize:]; len(p) > 0; p = p[snapshotEntrySize:] {
		id, e := decodeSnapshotEntry(p)
		m[id] = e
	}
	return m, nil
}

func decodeSnapshotEntry(p []byte) (int64, *producerEntry) {
	be := binary.BigEndian
	id := int64(be.Uint64(p))
	e := newProducerEntry()
	e.epoch = int16(be.Uint16(p[8:]))
	b := producerBatch{lastSeq: int32(be.Uint32(p[10:])), lastOffset: int64(be.Uint64(p[14:])),
		offsetDelta: int32(be.Uint32(p[22:])), timestamp: int64(be.Uint64(p[26:]))}
	e.coordinatorEpoch = int32(be.Uint32(p[34:]))
	e.txnFirst = max(int64(be.Uint64(p[38:])), snapshotNoTxnOffset) // Kafka writes -1 for none
	if b.lastOffset >= 0 {
		e.batches[0], e.n = b, 1
	}
	e.lastTimestamp = b.timestamp
	return id, e
}

// listSnapshots returns the offsets of the snapshot files in dir, ascending.
func listSnapshots(fsys vfs.FS, dir string) ([]int64, error) {
	entries, err := fsys.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("list producer snapshots in %s: %w", dir, err)
	}
	var out []int64
	for _, e := range entries {
		if o, ok := parseSnapshotName(e.Name()); ok {
			out = append(out, o)
		}
	}
	slices.Sort(out)
	return out, nil
}

// writeSnapshotFile replaces path through a .tmp file and a rename, so a
// reader never sees a partial file under the final name. sync adds the
// fsyncs a clean shutdown needs; at a roll they are skipped, as a crash
// only costs a re-read of the log (the CRC rejects a torn file).
func writeSnapshotFile(fsys vfs.FS, path string, data []byte, sync bool) error {
	if sync {
		return writeFileAtomic(fsys, path, data)
	}
	tmp := path + ".tmp"
	if err := vfs.WriteFile(fsys, tmp, data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := fsys.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func removeSnapshotFile(fsys vfs.FS, dir string, offset int64) error {
	err := fsys.Remove(snapshotPath(dir, offset))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove producer snapshot %s: %w", filepath.Base(snapshotPath(dir, offset)), err)
	}
	return nil
}
