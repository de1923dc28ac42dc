package partitionlog

import (
	"fmt"

	"github.com/kqhq/kq/store/recordbatch"
)

// Append is the leader path of a produce: records holds one or more v2
// batches as the request carried them. Every batch is validated before
// anything is written (an error leaves the log untouched), idempotent
// batches against their producer's state (a resent batch is answered with
// its original offsets and not written again; see AppendInfo.Duplicate);
// then the log
// assigns offsets from the log end offset, stamps leaderEpoch, applies
// message.timestamp.type (rewriting max timestamp and CRC when they change,
// as Kafka does) and writes all batches with one write. Append patches
// records in place: the caller hands the buffer over. It is Prepare and
// AppendPrepared in one call.
func (l *Log) Append(records []byte, leaderEpoch int32) (AppendInfo, error) {
	p, err := l.Prepare(records)
	if err != nil {
		return AppendInfo{}, err
	}
	return l.AppendPrepared(p, leaderEpoch)
}

// AppendAsCoordinator is Append for the batches a coordinator writes to
// its internal topic (Kafka's origin COORDINATOR): the same checks, except
// that a transactional batch may carry no sequence (base sequence -1), as
// the group coordinator's transactional offset commits do. Clients never
// reach it, so a client's sequence-less transactional batch stays
// INVALID_RECORD.
func (l *Log) AppendAsCoordinator(records []byte, leaderEpoch int32) (AppendInfo, error) {
	p, err := l.PrepareAsCoordinator(records)
	if err != nil {
		return AppendInfo{}, err
	}
	return l.AppendPrepared(p, leaderEpoch)
}

// AppendConverted is Append for a batch the broker built itself from a
// legacy message set (Produce v0-2), with the records it compressed into
// it: every check Append makes is made, but the records are read from
// b.Records rather than inflated from the batch again.
func (l *Log) AppendConverted(b recordbatch.Built, leaderEpoch int32) (AppendInfo, error) {
	p, err := l.PrepareConverted(b)
	if err != nil {
		return AppendInfo{}, err
	}
	return l.AppendPrepared(p, leaderEpoch)
}

// Prepared is a leader append whose batches passed every check that needs
// no state of the log (framing, CRC, the record walk, decompression,
// timestamps, sizes): the work a producer's batch costs, done by Prepare
// outside any lock so that concurrent producers of one partition validate
// in parallel and its readers never wait for it. AppendPrepared then makes
// the checks that need the log's state and writes.
type Prepared struct {
	records []byte
	infos   []batchInfo
	cfg     Config
	now     int64 // the broker clock at validation: LogAppendTime
}

// Prepare validates records for a later AppendPrepared, as Append would,
// and patches their headers' max timestamps (records are handed over).
func (l *Log) Prepare(records []byte) (Prepared, error) {
	return l.prepare(records, nil, false)
}

// PrepareAsCoordinator is Prepare for AppendAsCoordinator's batches.
func (l *Log) PrepareAsCoordinator(records []byte) (Prepared, error) {
	return l.prepare(records, nil, true)
}

// PrepareConverted is Prepare for AppendConverted's batch.
func (l *Log) PrepareConverted(b recordbatch.Built) (Prepared, error) {
	return l.prepare(b.Batch, b.Records, false)
}

// prepare validates records; plain, when not nil, holds the uncompressed
// records of their only batch (PrepareConverted).
func (l *Log) prepare(records, plain []byte, coordinator bool) (Prepared, error) {
	if err := l.usable(); err != nil {
		return Prepared{}, err
	}
	cfg, now := l.Config(), nowMs(l.clock)
	rules := leaderRules{cfg: cfg, now: now, tp: l.tp, coordinator: coordinator, plain: plain}
	infos, err := validateLeader(records, rules)
	if err != nil {
		return Prepared{}, fmt.Errorf("%s: append: %w", l.tp, err)
	}
	if !coordinator {
		if records, infos, err = l.recompressed(records, infos, rules); err != nil {
			return Prepared{}, err
		}
	}
	for _, b := range infos {
		header(records[b.pos:b.pos+b.size]).Restamp(cfg.TimestampType == LogAppendTime, b.maxTimestamp)
	}
	return Prepared{records: records, infos: infos, cfg: cfg, now: now}, nil
}

// recompressed applies compression.type to validated batches (see
// recompress) and validates what it wrote, so the infos describe the new
// bytes.
func (l *Log) recompressed(records []byte, infos []batchInfo, rules leaderRules) ([]byte, []batchInfo, error) {
	out, changed, err := recompress(records, infos, rules.cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: append: %w", l.tp, err)
	}
	if !changed {
		return records, infos, nil
	}
	rules.plain = nil
	if infos, err = validateLeader(out, rules); err != nil {
		return nil, nil, fmt.Errorf("%s: append recompressed: %w", l.tp, err)
	}
	return out, infos, nil
}

// AppendPrepared appends what Prepare validated: under the log's write
// lock it checks the batches against their producers' state, assigns
// offsets from the log end offset, stamps leaderEpoch and writes them with
// one write. A Prepared is appended at most once.
func (l *Log) AppendPrepared(p Prepared, leaderEpoch int32) (AppendInfo, error) {
	if len(p.infos) == 0 {
		return AppendInfo{}, fmt.Errorf("%s: append of nothing prepared: %w", l.tp, ErrInvalidRecord)
	}
	records, infos := p.records, p.infos
	l.writeMu.Lock()
	defer l.writeMu.Unlock()
	if err := l.usable(); err != nil {
		return AppendInfo{}, err
	}
	dup, isDup, err := l.producers.checkClient(records, infos)
	if err != nil {
		return AppendInfo{}, fmt.Errorf("%s: append: %w", l.tp, err)
	}
	if isDup {
		return l.duplicateInfo(dup), nil
	}
	next := l.leo.Load()
	for i := range infos {
		h := header(records[infos[i].pos:])
		h.SetBaseOffset(next)
		h.SetLeaderEpoch(leaderEpoch)
		infos[i].baseOffset, infos[i].leaderEpoch = next, leaderEpoch
		next = infos[i].lastOffset() + 1
	}
	if err := l.appendLocked(records, infos, p.cfg, p.now); err != nil {
		return AppendInfo{}, err
	}
	info := l.appendInfo(infos, len(records))
	if p.cfg.TimestampType == LogAppendTime {
		info.LogAppendTime = p.now
	}
	return info, nil
}

// AppendAsFollower is the replication path: the batches keep the offsets and
// leader epochs the leader gave them. They are checked for structure, CRC
// and increasing offsets; the first must not be below the log end offset
// (truncate first), gaps above it are allowed as in Kafka. An empty records
// is a no-op.
func (l *Log) AppendAsFollower(records []byte) (AppendInfo, error) {
	if err := l.usable(); err != nil {
		return AppendInfo{}, err
	}
	if len(records) == 0 {
		return AppendInfo{FirstOffset: -1, LastOffset: -1, LogAppendTime: -1, MaxTimestamp: -1, OffsetOfMaxTimestamp: -1, LogStartOffset: l.LogStartOffset()}, nil
	}
	cfg := l.Config()
	infos, err := validateFollower(records, cfg.SegmentBytes)
	if err != nil {
		return AppendInfo{}, fmt.Errorf("%s: follower append: %w", l.tp, err)
	}
	l.writeMu.Lock()
	defer l.writeMu.Unlock()
	if err := l.usable(); err != nil {
		return AppendInfo{}, err
	}
	if leo := l.leo.Load(); infos[0].baseOffset < leo {
		return AppendInfo{}, fmt.Errorf("%s: follower append at %d below log end offset %d: %w",
			l.tp, infos[0].baseOffset, leo, ErrUnexpectedAppendOffset)
	}
	if err := l.appendLocked(records, infos, cfg, nowMs(l.clock)); err != nil {
		return AppendInfo{}, err
	}
	return l.appendInfo(infos, len(records)), nil
}

// appendLocked writes validated batches whose offsets are final: roll if
// needed, one write, epoch cache, publish the new end, flush.messages.
func (l *Log) appendLocked(buf []byte, infos []batchInfo, cfg Config, now int64) error {
	first, last := infos[0].baseOffset, infos[len(infos)-1].lastOffset()
	seg, err := l.maybeRoll(int64(len(buf)), first, last, maxTimestampOf(infos), cfg, now)
	if err != nil {
		return err
	}
	if err := seg.append(buf, infos, cfg.IndexIntervalBytes); err != nil {
		return l.ioFailed(err)
	}
	if err := l.recordAppend(buf, infos, seg); err != nil {
		return l.ioFailed(err)
	}
	for _, b := range infos {
		if err := l.assignEpoch(b.leaderEpoch, b.baseOffset); err != nil {
			return l.ioFailed(err)
		}
	}
	l.leo.Store(last + 1)
	l.changes.notify()
	if cfg.FlushMode == FlushGroupCommit {
		l.requestSync()
	}
	if last+1-l.recoveryPoint.Load() >= cfg.FlushMessages {
		return l.flush(now)
	}
	return nil
}

// assignEpoch records a batch's epoch when it is newer than the latest
// (Kafka's maybeAssignEpochStartOffset per batch).
func (l *Log) assignEpoch(epoch int32, base int64) error {
	if latest, ok := l.epochs.LatestEpoch(); epoch < 0 || (ok && epoch <= latest) {
		return nil
	}
	return l.epochs.Assign(epoch, base)
}

func maxTimestampOf(infos []batchInfo) int64 {
	ts := int64(-1)
	for _, b := range infos {
		ts = max(ts, b.maxTimestamp)
	}
	return ts
}

func (l *Log) appendInfo(infos []batchInfo, bytes int) AppendInfo {
	info := AppendInfo{
		FirstOffset: infos[0].baseOffset, LastOffset: infos[len(infos)-1].lastOffset(),
		LogAppendTime: -1, MaxTimestamp: -1, OffsetOfMaxTimestamp: infos[0].baseOffset,
		Batches: len(infos), Bytes: int64(bytes), LogStartOffset: l.logStart.Load(),
	}
	for _, b := range infos {
		info.RecordCount += int64(b.records)
		if b.maxTimestamp > info.MaxTimestamp {
			info.MaxTimestamp, info.OffsetOfMaxTimestamp = b.maxTimestamp, b.baseOffset+int64(b.maxTsDelta)
		}
	}
	return info
}

// duplicateInfo answers a resent idempotent batch as Kafka does: the
// original offsets, the batch's max timestamp as LogAppendTime.
func (l *Log) duplicateInfo(b producerBatch) AppendInfo {
	return AppendInfo{
		FirstOffset: b.firstOffset(), LastOffset: b.lastOffset, LogAppendTime: b.timestamp,
		MaxTimestamp: -1, OffsetOfMaxTimestamp: -1, LogStartOffset: l.logStart.Load(), Duplicate: true,
	}
}
