package partitionlog

import (
	"math"

	"github.com/kqhq/kq/store/recordbatch"
)

// scanRecords is checkRecords' fast path for the batch producers send most:
// uncompressed, CreateTime timestamps, every record valid. One pass
// (recordbatch.ScanPlain) gives the range of the timestamps and whether a
// key is null; the batch passes when the range's ends pass the checks
// every record would, since the bounds are an interval. It fills info as
// checkRecords does and reports whether it decided; any doubt (a record
// the scan does not read, a timestamp out of bounds, a null key on a
// compacted topic) leaves the batch to the record-by-record walk, which
// finds the exact records and messages Kafka gives.
func scanRecords(h header, rules leaderRules, info *batchInfo) bool {
	if h.Codec() != recordbatch.None || rules.plain != nil || h.LogAppendTime() {
		return false
	}
	s, ok := recordbatch.ScanPlain(h.Payload(), h.RecordCount())
	if !ok || (s.NullKey && rules.cfg.Compacted) {
		return false
	}
	base := h.BaseTimestamp()
	lo, hi, ok := addNoOverflow(base, s.MinTimestampDelta, s.MaxTimestampDelta)
	if !ok {
		return false
	}
	if rules.cfg.TimestampType == CreateTime && !timestampsInBounds(lo, hi, rules) {
		return false
	}
	info.maxTimestamp = -1 // as the walk: a record's timestamp counts above -1
	if hi > info.maxTimestamp {
		info.maxTimestamp, info.maxTsDelta = hi, s.MaxTimestampIndex
	}
	return true
}

// addNoOverflow is base+lo and base+hi, not ok when either leaves int64:
// the walk's sums would wrap, and the interval argument with them.
func addNoOverflow(base, lo, hi int64) (int64, int64, bool) {
	if (hi > 0 && base > math.MaxInt64-hi) || (lo < 0 && base < math.MinInt64-lo) {
		return 0, 0, false
	}
	return base + lo, base + hi, true
}

// timestampsInBounds reports whether every timestamp in [lo, hi] passes
// checkTimestamp, which tests only the ends. A record without a timestamp
// (-1) is not judged by the walk but would be here: an interval holding
// -1 is left to the walk.
func timestampsInBounds(lo, hi int64, rules leaderRules) bool {
	if lo <= noTimestamp && noTimestamp <= hi {
		return false
	}
	_, loBad := checkTimestamp(lo, 0, rules)
	_, hiBad := checkTimestamp(hi, 0, rules)
	return loBad == nil && hiBad == nil
}
