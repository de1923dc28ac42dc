package partitionlog

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/store/recordbatch"
)

// keyedBatch builds a batch of the given records, each "key=value", or
// "key" alone for a tombstone. The spec gives the codec, timestamps and
// producer fields.
func keyedBatch(t testing.TB, spec batchSpec, recs ...string) []byte {
	t.Helper()
	spec.records = len(recs)
	spec.editRecords = func(rs []kmsg.Record) {
		for i, kv := range recs {
			k, v, ok := strings.Cut(kv, "=")
			rs[i].Key, rs[i].Value = []byte(k), nil
			if ok {
				rs[i].Value = []byte(v)
			}
		}
	}
	return buildBatch(t, spec)
}

// compactLog is a compacted log with small segments: every few batches
// roll a new one.
func compactLog(t testing.TB, cfg Config, clock Clock) *Log {
	t.Helper()
	cfg.Compacted = true
	if cfg.SegmentBytes == 0 {
		cfg.SegmentBytes = 600
	}
	if cfg.IndexIntervalBytes == 0 {
		cfg.IndexIntervalBytes = 64
	}
	return testLog(t, cfg, clock)
}

// storedRecord is one record read back from a log.
type storedRecord struct {
	offset     int64
	key, value string
	tombstone  bool
	ts         int64
}

func (r storedRecord) String() string {
	if r.tombstone {
		return fmt.Sprintf("%d:%s(tomb)", r.offset, r.key)
	}
	return fmt.Sprintf("%d:%s=%s", r.offset, r.key, r.value)
}

// logRecords reads every record of the log from its start.
func logRecords(t testing.TB, l *Log) []storedRecord {
	t.Helper()
	return decodeRecords(t, readAll(t, l, l.LogStartOffset()))
}

// decodeRecords decodes every record of whole batches.
func decodeRecords(t testing.TB, data []byte) []storedRecord {
	t.Helper()
	var out []storedRecord
	for len(data) > 0 {
		h, err := splitBatch(data)
		if err != nil {
			t.Fatal(err)
		}
		data = data[len(h):]
		if err := checkCRC(h); err != nil {
			t.Fatalf("batch at %d: %v", h.BaseOffset(), err)
		}
		it, err := openRecords(h, recordbatch.StoredLimit)
		if err != nil {
			t.Fatal(err)
		}
		for range h.RecordCount() {
			r, err := it.next()
			if err != nil {
				t.Fatalf("batch at %d: %v", h.BaseOffset(), err)
			}
			out = append(out, storedRecord{
				offset: h.BaseOffset() + int64(r.OffsetDelta), key: string(r.Key), value: string(r.Value),
				tombstone: r.Value == nil, ts: h.BaseTimestamp() + r.TimestampDelta64,
			})
		}
		if err := it.finish(); err != nil {
			t.Fatalf("batch at %d: %v", h.BaseOffset(), err)
		}
		it.close()
	}
	return out
}

// latestByKey returns the last record of every key.
func latestByKey(recs []storedRecord) map[string]storedRecord {
	out := map[string]storedRecord{}
	for _, r := range recs {
		out[r.key] = r
	}
	return out
}

// testThread is a cleaner thread with small buffers.
func testThread(dedupeBytes int64) *cleanerThread {
	return newCleanerThread(cleanerBuffers{dedupeBytes: dedupeBytes, ioBytes: 16 << 10, loadFactor: 0.9}, nil)
}

// cleanOnce plans and runs one cleaning of l as the cleaner threads do,
// with the high watermark at the log end.
func cleanOnce(t testing.TB, l *Log, th *cleanerThread, now int64) (cleanResult, error) {
	t.Helper()
	l.SetHighWatermark(l.LogEndOffset())
	plan, err := planCleaning(l, now)
	if err != nil {
		t.Fatal(err)
	}
	if !l.cleaning.begin(plan.gen) {
		t.Fatal("log already being cleaned")
	}
	if plan.cleanableBytes == 0 {
		l.cleaning.end(plan.gen, 0, false)
		return cleanResult{}, errNothingToClean
	}
	res, err := th.clean(context.Background(), plan, now)
	l.cleaning.end(plan.gen, res.endOffset, err == nil)
	return res, err
}

var errNothingToClean = fmt.Errorf("nothing to clean")

func mustClean(t testing.TB, l *Log, th *cleanerThread, now int64) cleanResult {
	t.Helper()
	res, err := cleanOnce(t, l, th, now)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// checkSubsequence fails unless every record after cleaning is a record
// from before, unchanged, at its offset.
func checkSubsequence(t testing.TB, before, after []storedRecord) {
	t.Helper()
	byOffset := map[int64]storedRecord{}
	for _, r := range before {
		byOffset[r.offset] = r
	}
	prev := int64(-1)
	for _, r := range after {
		if r.offset <= prev {
			t.Fatalf("offset %d after %d", r.offset, prev)
		}
		prev = r.offset
		if b, ok := byOffset[r.offset]; !ok || b != r {
			t.Fatalf("record %v after cleaning was %v before", r, b)
		}
	}
}

// checkCompacted fails unless, below end, each key appears once, as its
// latest record before cleaning (a tombstone may be gone), and every
// record at or past end is kept.
func checkCompacted(t testing.TB, before, after []storedRecord, end int64, tombstonesGone bool) {
	t.Helper()
	checkSubsequence(t, before, after)
	latest := latestByKey(before)
	seen := map[string]bool{}
	kept := map[int64]bool{}
	for _, r := range after {
		kept[r.offset] = true
		if r.offset >= end {
			continue
		}
		if seen[r.key] {
			t.Errorf("key %q kept twice below %d", r.key, end)
		}
		seen[r.key] = true
		if l := latest[r.key]; l.offset < end && l.offset != r.offset {
			t.Errorf("kept %v, the latest of its key is %v", r, l)
		}
		if r.tombstone && tombstonesGone {
			t.Errorf("tombstone %v outlived its delete horizon", r)
		}
	}
	for _, r := range before {
		if (r.offset >= end || latest[r.key] == r) && !kept[r.offset] && !(r.tombstone && tombstonesGone) {
			t.Errorf("record %v lost", r)
		}
	}
}

func keysOf(recs []storedRecord) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.String())
	}
	sort.Strings(out)
	return out
}
