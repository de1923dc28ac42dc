package partitionlog

import (
	"fmt"
	"math"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/store/recordbatch"
)

// attrDeleteHorizon marks a batch whose base timestamp is its delete
// horizon (KIP-534): the time after which the cleaner drops its tombstones.
// Record timestamps stay base timestamp plus delta, so readers see the
// original ones.
const attrDeleteHorizon = 0x40

// batchFilter decides what a cleaning keeps of each batch and rewrites the
// batches it keeps in part (Kafka's Cleaner.shouldRetainRecord with
// MemoryRecords.filterTo).
type batchFilter struct {
	offsets         *offsetMap
	producers       map[int64]int64 // producer id -> last offset of its last batch
	now             int64
	deleteRetention int64
	comp            recordbatch.Compressor
	kept            []byte // encoded records kept from the current batch
	retimed         []byte
	rec             kmsg.Record
}

// selection counts what a batch keeps.
type selection struct {
	total, kept int32
	maxTs       int64 // largest timestamp kept
	tombstone   bool  // a tombstone is kept
}

// lastOfProducer reports whether h is the last batch of an idempotent
// producer: Kafka keeps it (emptied if need be) so the producer's last
// sequence and epoch survive compaction.
func (f *batchFilter) lastOfProducer(h header) bool {
	last, ok := f.producers[h.ProducerID()]
	return ok && h.ProducerID() >= 0 && last == h.LastOffset()
}

// appendCleaned appends to dst what is kept of batch h: the batch as it is
// when every record stays and nothing changes, a rewritten batch when some
// records go or a tombstone needs its delete horizon, an empty batch when
// none stays but keepEmpty says the batch header must, else nothing.
func (f *batchFilter) appendCleaned(dst []byte, h header, keepEmpty bool) ([]byte, selection, error) {
	whole := selection{total: h.RecordCount(), kept: h.RecordCount()}
	// Past the mapped section nothing is known to supersede a record;
	// transactional and control batches are never touched (see cleaner.go).
	if h.LastOffset() > f.offsets.latest || h.Attributes()&(recordbatch.AttrTransactional|recordbatch.AttrControl) != 0 {
		return append(dst, h...), whole, nil
	}
	sel, err := f.selectRecords(h)
	if err != nil {
		return dst, sel, err
	}
	needHorizon := sel.tombstone && h.Attributes()&recordbatch.AttrDeleteHorizon == 0
	switch {
	case sel.kept == sel.total && !needHorizon:
		return append(dst, h...), sel, nil
	case sel.kept == 0 && keepEmpty:
		return appendEmptyBatch(dst, h), sel, nil
	case sel.kept == 0:
		return dst, sel, nil
	}
	dst, err = f.appendRebuilt(dst, h, sel, needHorizon)
	return dst, sel, err
}

// selectRecords collects the encoded records of h the cleaning keeps.
func (f *batchFilter) selectRecords(h header) (selection, error) {
	sel := selection{total: h.RecordCount(), maxTs: -1}
	f.kept = f.kept[:0]
	it, err := openRecords(h, recordbatch.StoredLimit)
	if err != nil {
		return sel, err
	}
	defer it.close()
	for i := range sel.total {
		r, raw, err := it.nextRecord()
		if err != nil {
			return sel, fmt.Errorf("record %d: %w", i, err)
		}
		if !f.retain(h, r) {
			continue
		}
		sel.kept++
		sel.tombstone = sel.tombstone || r.Value == nil
		sel.maxTs = max(sel.maxTs, h.BaseTimestamp()+r.TimestampDelta64)
		f.kept = append(f.kept, raw...)
	}
	return sel, nil
}

// retain is Kafka's shouldRetainRecord for a mapped batch: a record without
// a key goes (a compacted log cannot hold one), a record superseded by a
// later one of its key goes, a tombstone goes once its batch's delete
// horizon has passed.
func (f *batchFilter) retain(h header, r *kmsg.Record) bool {
	if r.Key == nil {
		return false
	}
	if h.BaseOffset()+int64(r.OffsetDelta) < f.offsets.get(r.Key) {
		return false
	}
	if r.Value != nil || h.Attributes()&recordbatch.AttrDeleteHorizon == 0 {
		return true
	}
	return f.now < h.BaseTimestamp()
}

// appendRebuilt appends a batch holding the kept records with h's base
// offset, last offset delta, leader epoch, producer fields and attributes,
// re-compressed with h's codec. The max timestamp is recomputed (except
// under LogAppendTime, where it is the append time). With needHorizon the
// base timestamp becomes now + delete.retention.ms and the records'
// timestamp deltas are shifted to keep their timestamps.
func (f *batchFilter) appendRebuilt(dst []byte, h header, sel selection, needHorizon bool) ([]byte, error) {
	attrs, baseTs, records := h.Attributes(), h.BaseTimestamp(), f.kept
	if needHorizon {
		horizon := saturatingAdd(f.now, f.deleteRetention)
		var err error
		if records, err = f.retime(records, sel.kept, baseTs-horizon); err != nil {
			return dst, err
		}
		attrs, baseTs = attrs|recordbatch.AttrDeleteHorizon, horizon
	}
	maxTs := sel.maxTs
	if h.LogAppendTime() {
		maxTs = h.MaxTimestamp()
	}
	start := len(dst)
	dst = append(dst, h[:recordbatch.HeaderSize]...)
	if codec := h.Codec(); codec == recordbatch.None {
		dst = append(dst, records...)
	} else {
		var err error
		if dst, err = f.comp.Append(dst, codec, records, recordbatch.IsXerial(h.Payload())); err != nil {
			return dst[:start], fmt.Errorf("%w: %w", err, ErrCorruptMessage)
		}
	}
	nh := header(dst[start:])
	nh.SetLength(int32(len(nh) - recordbatch.LogOverhead))
	nh.SetAttributes(attrs)
	nh.SetBaseTimestamp(baseTs)
	nh.SetMaxTimestamp(maxTs)
	nh.SetRecordCount(sel.kept)
	nh.Seal()
	return dst, nil
}

// retime re-encodes n records with shift added to their timestamp deltas.
func (f *batchFilter) retime(records []byte, n int32, shift int64) ([]byte, error) {
	f.retimed = f.retimed[:0]
	it, err := openPlainRecords(records, math.MaxInt64)
	if err != nil {
		return nil, err
	}
	for range n {
		r, err := it.next()
		if err != nil {
			return nil, fmt.Errorf("re-encoding a kept record: %w", err)
		}
		r.TimestampDelta64 += shift
		f.retimed = recordbatch.AppendRecord(f.retimed, r)
	}
	return f.retimed, nil
}

// appendEmptyBatch appends h without its records: Kafka's empty batch
// (writeEmptyHeader), uncompressed, keeping offsets, producer fields and
// timestamps.
func appendEmptyBatch(dst []byte, h header) []byte {
	start := len(dst)
	dst = append(dst, h[:recordbatch.HeaderSize]...)
	nh := header(dst[start:])
	nh.SetLength(recordbatch.MinLength)
	nh.SetAttributes(h.Attributes() &^ recordbatch.AttrCompression)
	nh.SetRecordCount(0)
	nh.Seal()
	return dst
}

func saturatingAdd(a, b int64) int64 {
	if b > 0 && a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}
