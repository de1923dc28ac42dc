package partitionlog

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/kqhq/kq/store/recordbatch"
)

// FuzzValidateBatch feeds the leader and follower validators arbitrary
// produce payloads. With wrap set, the input becomes the records section of
// a batch whose header and CRC are made valid, so the fuzzer reaches the
// record decoder and the decompressors instead of stopping at the CRC.
func FuzzValidateBatch(f *testing.F) {
	for _, codec := range []recordbatch.Codec{recordbatch.None, recordbatch.Gzip, recordbatch.Snappy, recordbatch.LZ4, recordbatch.Zstd} {
		b := buildBatch(f, batchSpec{records: 3, valueSize: 20, codec: codec})
		f.Add(b, false, uint8(0), int16(0))
		f.Add(b[recordbatch.HeaderSize:], true, uint8(3), int16(codec))
	}
	f.Add(concat(buildBatch(f, batchSpec{records: 2}), buildBatch(f, batchSpec{records: 1})), false, uint8(0), int16(0))
	f.Add(buildBatch(f, batchSpec{records: 2, codec: recordbatch.Snappy, xerial: true})[recordbatch.HeaderSize:], true, uint8(2), int16(recordbatch.Snappy))
	f.Fuzz(func(t *testing.T, data []byte, wrap bool, count uint8, attrs int16) {
		if len(data) > 64<<10 {
			return // large inputs only slow the search down
		}
		if wrap {
			data = wrapRecords(data, int32(count), attrs)
		}
		rules := leaderRules{cfg: Config{MaxMessageBytes: 1 << 20}.normalized(), now: 5000}
		infos, err := validateLeader(data, rules)
		if err == nil {
			checkAccepted(t, data, infos, rules.cfg)
		} else if !isClassified(err) {
			t.Fatalf("unclassified error: %v", err)
		}
		if _, err := validateFollower(data, 1<<30); err != nil && !isClassified(err) {
			t.Fatalf("unclassified follower error: %v", err)
		}
	})
}

// wrapRecords builds a batch header (count records, offsets 0..count-1)
// around records with a correct length and CRC.
func wrapRecords(records []byte, count int32, attrs int16) []byte {
	b := make([]byte, recordbatch.HeaderSize, recordbatch.HeaderSize+len(records))
	h := header(b)
	binary.BigEndian.PutUint32(b[recordbatch.PosLength:], uint32(recordbatch.MinLength+len(records)))
	b[recordbatch.PosMagic] = recordbatch.Magic
	h.SetAttributes(attrs &^ recordbatch.AttrControl)
	binary.BigEndian.PutUint32(b[recordbatch.PosLastOffsetDelta:], uint32(count-1))
	binary.BigEndian.PutUint64(b[recordbatch.PosBaseTimestamp:], 1000)
	binary.BigEndian.PutUint64(b[recordbatch.PosProducerID:], ^uint64(0))
	binary.BigEndian.PutUint32(b[recordbatch.PosBaseSequence:], ^uint32(0))
	binary.BigEndian.PutUint32(b[recordbatch.PosRecordCount:], uint32(count))
	b = append(b, records...)
	header(b).Seal()
	return b
}

func isClassified(err error) bool {
	for _, s := range []error{ErrCorruptMessage, ErrInvalidRecord, ErrMessageTooLarge, ErrRecordListTooLarge, ErrUnsupportedVersion, ErrInvalidTimestamp} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// checkAccepted verifies what an accepted payload must satisfy: batches
// tile it exactly, each passes its CRC, and the timestamp rewrite keeps
// the CRC valid.
func checkAccepted(t *testing.T, data []byte, infos []batchInfo, cfg Config) {
	pos := 0
	for _, in := range infos {
		if in.pos != pos {
			t.Fatalf("batch at %d, expected %d", in.pos, pos)
		}
		h := header(data[in.pos : in.pos+in.size])
		if checkCRC(h) != nil || h.RecordCount() != in.records || int64(in.records) != int64(h.LastOffsetDelta())+1 {
			t.Fatalf("accepted a batch that does not check out: %+v", in)
		}
		h.Restamp(true, 12345)
		if checkCRC(h) != nil {
			t.Fatal("timestamp rewrite broke the CRC")
		}
		pos += in.size
	}
	if pos != len(data) {
		t.Fatalf("batches cover %d of %d bytes", pos, len(data))
	}
}

// FuzzRecovery writes a valid segment cut at an arbitrary point followed
// by arbitrary bytes, opens it after an unclean shutdown and checks the
// recovery rules: every valid batch before the damage is kept, everything
// kept reads back with a valid CRC, the file ends on a batch boundary, and
// opening again changes nothing.
func FuzzRecovery(f *testing.F) {
	var valid []byte
	var ends []int
	for i, codec := range []recordbatch.Codec{recordbatch.None, recordbatch.Gzip, recordbatch.None, recordbatch.Zstd, recordbatch.None} {
		valid = append(valid, buildBatch(f, batchSpec{records: 1 + i, valueSize: 10 * i, codec: codec, offset: int64(len(ends) * 10), baseTs: 1000 + int64(i)})...)
		ends = append(ends, len(valid))
	}
	f.Add(uint16(len(valid)), []byte{})
	f.Add(uint16(ends[1]), valid[ends[1]:ends[1]+30])
	f.Add(uint16(ends[2]+5), bytes.Repeat([]byte{0}, 100))
	f.Add(uint16(ends[0]), valid[ends[0]:])
	f.Fuzz(func(t *testing.T, cut uint16, tail []byte) {
		n := min(int(cut), len(valid))
		dir := filepath.Join(t.TempDir(), testTP.dirName())
		os.MkdirAll(dir, 0o755)
		if err := os.WriteFile(segmentPath(dir, 0, logSuffix), concat(valid[:n], tail), 0o644); err != nil {
			t.Fatal(err)
		}
		o := logOptions{dir: dir, tp: testTP, cfg: Config{SegmentIndexBytes: 1200, IndexIntervalBytes: 64},
			clock: newManualClock(0), logger: discardLogger()}
		l, err := openLog(o)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		kept := int(l.Size())
		prefix := 0
		for _, e := range ends {
			if e <= n {
				prefix = e
			}
		}
		got, err := readRegion(l)
		if err != nil || kept < prefix || !bytes.Equal(got[:prefix], valid[:prefix]) || len(got) != kept {
			t.Fatalf("kept %d bytes (valid prefix %d): %v", kept, prefix, err)
		}
		if err := checkReadable(l); err != nil {
			t.Fatal(err)
		}
		if kept > 0 && lastOffsetIn(t, got)+1 != l.LogEndOffset() {
			t.Fatalf("log end %d after %d bytes", l.LogEndOffset(), kept)
		}
		leo := l.LogEndOffset()
		l.Close()
		o.recoveryPoint = 0
		l2, err := openLog(o)
		if err != nil || l2.LogEndOffset() != leo || l2.Size() != int64(kept) {
			t.Fatalf("second open differs: %v", err)
		}
		l2.Close()
	})
}

// readRegion returns the whole single-segment log as stored.
func readRegion(l *Log) ([]byte, error) {
	seg := l.segs[0]
	b := make([]byte, seg.size.Load())
	_, err := seg.log.ReadAt(b, 0)
	if len(b) == 0 {
		err = nil
	}
	return b, err
}
