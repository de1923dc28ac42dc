package partitionlog

import (
	"errors"
	"fmt"
	"math"

	"github.com/kqhq/kq/store/recordbatch"
)

// batchInfo is what validation learns about one batch of an append.
type batchInfo struct {
	pos          int   // start within the append buffer
	size         int   // whole batch, log overhead included
	baseOffset   int64 // as found in the buffer (follower) or 0 (leader)
	lastDelta    int32
	records      int32
	leaderEpoch  int32
	maxTimestamp int64 // after validation: what the stored header will say
	maxTsDelta   int32 // offset delta of the (first) record holding maxTimestamp
}

func (b batchInfo) lastOffset() int64 { return b.baseOffset + int64(b.lastDelta) }

// leaderRules are the settings a leader append is validated against.
type leaderRules struct {
	cfg Config
	now int64          // broker clock, ms
	tp  TopicPartition // named in record error messages, as Kafka's
	// coordinator: the batches are a coordinator's own (Kafka's origin
	// COORDINATOR), not a client's: a transactional batch may carry no
	// sequence (the group coordinator's transactional offset commits).
	coordinator bool
	// plain, when not nil, holds the uncompressed records of the only
	// batch, which the broker compressed itself (a converted legacy
	// message set): they are checked instead of inflating the batch again.
	plain []byte
}

// splitBatch returns the batch at the front of buf with its structural
// checks done in Kafka's order (recordbatch.Split). A legacy magic (0 or 1)
// is an unsupported version, one Kafka never defined a corrupt message, as
// anything else that does not hold together.
func splitBatch(buf []byte) (header, error) {
	h, err := recordbatch.Split(buf)
	if errors.Is(err, recordbatch.ErrMagic) {
		if m := header(buf).Magic(); m >= 0 && m < recordbatch.Magic {
			return nil, fmt.Errorf("%w: %w", err, ErrUnsupportedVersion)
		}
		return nil, fmt.Errorf("invalid %w: %w", err, ErrCorruptMessage)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", err, ErrCorruptMessage)
	}
	return h, nil
}

func checkCRC(h header) error {
	if err := h.CheckCRC(); err != nil {
		return fmt.Errorf("%w: %w", err, ErrCorruptMessage)
	}
	return nil
}

// validateLeader checks every batch of a produce payload as Kafka's
// UnifiedLog.analyzeAndValidateRecords and LogValidator do, without changing
// a byte. It returns one batchInfo per batch.
func validateLeader(buf []byte, rules leaderRules) ([]batchInfo, error) {
	if len(buf) == 0 {
		return nil, fmt.Errorf("no record batch: %w", ErrInvalidRecord)
	}
	var infos []batchInfo
	for pos := 0; pos < len(buf); {
		h, err := splitBatch(buf[pos:])
		if err != nil {
			return nil, fmt.Errorf("batch %d at byte %d: %w", len(infos), pos, err)
		}
		info, err := validateLeaderBatch(h, rules)
		if err != nil {
			return nil, fmt.Errorf("batch %d at byte %d: %w", len(infos), pos, err)
		}
		info.pos = pos
		infos = append(infos, info)
		pos += len(h)
		if rules.plain != nil && pos < len(buf) {
			return nil, fmt.Errorf("a converted batch followed by %d bytes: %w", len(buf)-pos, ErrInvalidRecord)
		}
	}
	if len(buf) > int(rules.cfg.SegmentBytes) {
		return nil, fmt.Errorf("%d bytes exceed segment.bytes %d: %w", len(buf), rules.cfg.SegmentBytes, ErrRecordListTooLarge)
	}
	return infos, nil
}

func validateLeaderBatch(h header, rules leaderRules) (batchInfo, error) {
	if h.BaseOffset() != 0 {
		return batchInfo{}, fmt.Errorf("base offset %d, a producer must send 0: %w", h.BaseOffset(), ErrInvalidRecord)
	}
	if len(h) > int(rules.cfg.MaxMessageBytes) {
		return batchInfo{}, fmt.Errorf("batch of %d bytes exceeds max.message.bytes %d: %w", len(h), rules.cfg.MaxMessageBytes, ErrMessageTooLarge)
	}
	if err := checkCRC(h); err != nil {
		return batchInfo{}, err
	}
	if err := checkBatchFields(h, rules.coordinator); err != nil {
		return batchInfo{}, err
	}
	info := batchInfo{size: len(h), lastDelta: h.LastOffsetDelta(), records: h.RecordCount(), leaderEpoch: h.LeaderEpoch()}
	if err := checkRecords(h, rules, &info); err != nil {
		return batchInfo{}, err
	}
	if rules.cfg.TimestampType == LogAppendTime {
		info.maxTimestamp, info.maxTsDelta = rules.now, 0
	}
	return info, nil
}

// checkBatchFields is Kafka's LogValidator.validateBatch. A client's
// idempotent or transactional batch must carry a sequence; only a
// coordinator's transactional batch may have base sequence -1.
func checkBatchFields(h header, coordinator bool) error {
	count, delta := h.RecordCount(), h.LastOffsetDelta()
	switch {
	case delta < 0:
		return fmt.Errorf("last offset delta %d: %w", delta, ErrInvalidRecord)
	case count <= 0:
		return fmt.Errorf("record count %d: %w", count, ErrInvalidRecord)
	case int64(count) != int64(delta)+1:
		return fmt.Errorf("record count %d but offset range %d: %w", count, int64(delta)+1, ErrInvalidRecord)
	case h.Attributes()&recordbatch.AttrControl != 0:
		return fmt.Errorf("clients may not write control batches: %w", ErrInvalidRecord)
	case h.Transactional() && h.ProducerID() < 0:
		return fmt.Errorf("a transactional batch without producer id: %w", ErrInvalidRecord)
	case h.ProducerID() >= 0 && h.BaseSequence() < 0 && !(coordinator && h.Transactional() && h.BaseSequence() == noSequence):
		// Base sequence -1 on a transactional batch is the group
		// coordinator's offset commit (see checkCoordinatorBatch).
		return fmt.Errorf("producer id %d with sequence %d: %w", h.ProducerID(), h.BaseSequence(), ErrInvalidRecord)
	}
	return nil
}

// checkRecords walks every record (decompressing if needed) with every
// check of the record decoder, materialising none: offset deltas must run
// 0,1,2,... exactly up to the declared count, nothing may follow the last
// record. A record without key on a compacted topic or with a timestamp
// out of bounds is collected, as Kafka's LogValidator does, and the batch
// refused with every such record (*RecordErrors) once all of them are
// read; a record that does not decode refuses it at once. It fills the
// record-derived maximum timestamp into info.
func checkRecords(h header, rules leaderRules, info *batchInfo) error {
	if scanRecords(h, rules, info) {
		return nil
	}
	it, err := rules.openRecords(h)
	if err != nil {
		return err
	}
	defer it.close()
	info.maxTimestamp = -1
	bt := batchTimes{logAppendTime: h.Attributes()&recordbatch.AttrLogAppendTime != 0, base: h.BaseTimestamp(), max: h.MaxTimestamp()}
	var bad *RecordErrors // allocated at the first invalid record
	for i := range h.RecordCount() {
		r, err := it.nextInfo()
		if err != nil {
			return fmt.Errorf("record %d: %w", i, err)
		}
		if r.OffsetDelta != i {
			return fmt.Errorf("record %d has offset delta %d: %w", i, r.OffsetDelta, ErrInvalidRecord)
		}
		ts := bt.of(r)
		if msg, kind := checkRecord(bt, r, ts, i, rules); kind != nil {
			bad = bad.add(i, msg, kind)
		}
		if ts > info.maxTimestamp {
			info.maxTimestamp, info.maxTsDelta = ts, r.OffsetDelta
		}
	}
	if err := it.finish(); err != nil {
		return err
	}
	if bad != nil {
		return bad
	}
	return nil
}

// openRecords opens the records of h, from rules.plain when the broker
// kept them, allowing the decompressed size a producer's batch may have.
func (rules leaderRules) openRecords(h header) (*recordIter, error) {
	limit := recordbatch.Limit(rules.cfg.MaxMessageBytes)
	if rules.plain != nil {
		return openPlainRecords(rules.plain, limit)
	}
	return openRecords(h, limit)
}

// add notes one invalid record, creating e at the first; one bad
// timestamp makes the whole refusal INVALID_TIMESTAMP, as Kafka's
// processRecordErrors.
func (e *RecordErrors) add(index int32, msg string, kind error) *RecordErrors {
	if e == nil {
		e = &RecordErrors{Err: ErrInvalidRecord}
	}
	e.Records = append(e.Records, RecordError{Index: index, Message: msg})
	if kind == ErrInvalidTimestamp {
		e.Err = ErrInvalidTimestamp
	}
	return e
}

// checkRecord judges one record, whose timestamp is ts, as Kafka's
// validateRecord: the key first, then the timestamp. It returns Kafka's
// message and the sentinel of the refusal, or a nil sentinel for a valid
// record. The offset a message names is the record's offset delta: a
// producer's batch starts at 0.
func checkRecord(bt batchTimes, r recordbatch.RecordInfo, ts int64, i int32, rules leaderRules) (string, error) {
	if r.KeyLen < 0 && rules.cfg.Compacted {
		return "Compacted topic cannot accept message without key in topic partition " + rules.tp.String(), ErrInvalidRecord
	}
	if rules.cfg.TimestampType == CreateTime && ts != noTimestamp {
		return checkTimestamp(ts, i, rules)
	}
	if bt.logAppendTime {
		// Only the broker may stamp LogAppendTime; a record a CreateTime
		// topic judges by its timestamp escapes this, as in Kafka.
		return fmt.Sprintf("Invalid timestamp type in message DefaultRecord(offset=%d, timestamp=%d, key=%d bytes, value=%d bytes). "+
			"Producer should not set timestamp type to LogAppendTime.", i, ts, max(r.KeyLen, 0), max(r.ValueLen, 0)), ErrInvalidTimestamp
	}
	return "", nil // no timestamp (a magic 0 producer's record) is not judged
}

// batchTimes is what a batch's header says about its records'
// timestamps, read once per batch rather than once per record.
type batchTimes struct {
	logAppendTime bool
	base, max     int64
}

// of is a record's timestamp as Kafka reads it: a batch marked
// LogAppendTime gives every record its max timestamp.
func (bt batchTimes) of(r recordbatch.RecordInfo) int64 {
	if bt.logAppendTime {
		return bt.max
	}
	return bt.base + r.TimestampDelta
}

// checkTimestamp bounds a CreateTime timestamp by
// message.timestamp.before/after.max.ms around the broker clock.
func checkTimestamp(ts int64, i int32, rules leaderRules) (string, error) {
	before, after := rules.cfg.TimestampBeforeMaxMs, rules.cfg.TimestampAfterMaxMs
	if (before != unlimited && ts < rules.now-before) || (after != unlimited && ts > rules.now+after) {
		// Bounds wrap as Java's longs do when a side is unlimited.
		return fmt.Sprintf("Timestamp %d of message with offset %d is out of range. The timestamp should be within [%d, %d]",
			ts, i, rules.now-before, rules.now+after), ErrInvalidTimestamp
	}
	return "", nil
}

// validateFollower checks replicated batches the way Kafka's follower path
// does: structure, magic, CRC and offsets increasing across batches; the
// leader already validated the records, and max.message.bytes is not applied
// (a topic may have lowered it after the leader accepted the batch).
func validateFollower(buf []byte, segmentBytes int64) ([]batchInfo, error) {
	var infos []batchInfo
	next := int64(math.MinInt64)
	for pos := 0; pos < len(buf); {
		h, err := splitBatch(buf[pos:])
		if err == nil {
			err = checkFollowerBatch(h, next)
		}
		if err != nil {
			return nil, fmt.Errorf("batch %d at byte %d: %w", len(infos), pos, err)
		}
		infos = append(infos, batchInfo{
			pos: pos, size: len(h), baseOffset: h.BaseOffset(), lastDelta: h.LastOffsetDelta(),
			records: h.RecordCount(), leaderEpoch: h.LeaderEpoch(),
			maxTimestamp: h.MaxTimestamp(), maxTsDelta: h.LastOffsetDelta(),
		})
		next = h.LastOffset() + 1
		pos += len(h)
	}
	if int64(len(buf)) > segmentBytes {
		return nil, fmt.Errorf("%d bytes exceed segment.bytes %d: %w", len(buf), segmentBytes, ErrRecordListTooLarge)
	}
	return infos, nil
}

func checkFollowerBatch(h header, next int64) error {
	if err := checkCRC(h); err != nil {
		return err
	}
	if h.LastOffsetDelta() < 0 || h.BaseOffset() < 0 {
		return fmt.Errorf("offsets %d..%d: %w", h.BaseOffset(), h.LastOffset(), ErrInvalidRecord)
	}
	if h.BaseOffset() < next {
		return fmt.Errorf("base offset %d below the previous batch end %d: %w", h.BaseOffset(), next, ErrInvalidRecord)
	}
	return nil
}

// noTimestamp is a record's timestamp when it has none (Kafka's
// RecordBatch.NO_TIMESTAMP): records converted from magic 0 messages.
const noTimestamp = -1
