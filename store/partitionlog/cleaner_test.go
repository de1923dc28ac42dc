package partitionlog

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kqhq/kq/store/recordbatch"
)

// fillUpdates appends n batches of updates cycling over keys k0..k<keys-1>,
// recsPerBatch records each, with the given codec; values name their
// write so the latest is recognisable. It ends with a roll so every batch
// written is in a closed segment.
func fillUpdates(t testing.TB, l *Log, n, recsPerBatch, keys int, codec recordbatch.Codec, xerial bool) {
	t.Helper()
	w := 0
	for b := range n {
		recs := make([]string, recsPerBatch)
		for i := range recs {
			recs[i] = fmt.Sprintf("k%d=v%d-%s", w%keys, w, bytes.Repeat([]byte{'x'}, w%7))
			w++
		}
		mustAppend(t, l, keyedBatch(t, batchSpec{codec: codec, xerial: xerial, baseTs: 1000 + int64(b), tsStep: 1}, recs...))
	}
	rollNow(t, l)
}

// rollNow closes the active segment so everything written is cleanable.
func rollNow(t testing.TB, l *Log) {
	t.Helper()
	l.writeMu.Lock()
	defer l.writeMu.Unlock()
	if _, err := l.roll(l.leo.Load(), l.Config(), nowMs(l.clock)); err != nil {
		t.Fatal(err)
	}
}

func TestCleanKeepsLatestValuePerKey(t *testing.T) {
	cases := []struct {
		name    string
		codec   recordbatch.Codec
		xerial  bool
		recs    int
		batches int
	}{
		{"none", recordbatch.None, false, 4, 60},
		{"gzip", recordbatch.Gzip, false, 5, 40},
		{"snappy", recordbatch.Snappy, false, 3, 40},
		{"snappy-xerial", recordbatch.Snappy, true, 6, 40},
		{"lz4", recordbatch.LZ4, false, 4, 15}, // the race detector makes 4 MiB lz4 blocks slow
		{"zstd", recordbatch.Zstd, false, 7, 40},
		{"single-record batches", recordbatch.None, false, 1, 60},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := compactLog(t, Config{}, nil)
			fillUpdates(t, l, tc.batches, tc.recs, 9, tc.codec, tc.xerial)
			before, leo, size, segs := logRecords(t, l), l.LogEndOffset(), l.Size(), l.NumSegments()
			res := mustClean(t, l, testThread(1<<20), 5000)
			if res.endOffset != leo {
				t.Fatalf("cleaned up to %d, want the log end %d", res.endOffset, leo)
			}
			after := logRecords(t, l)
			checkCompacted(t, before, after, res.endOffset, false)
			if len(after) != 9 {
				t.Errorf("%d records kept, want one per key (9): %v", len(after), keysOf(after))
			}
			if l.LogEndOffset() != leo || l.Size() >= size || l.NumSegments() > segs {
				t.Errorf("log end %d (was %d), size %d (was %d), segments %d (was %d)", l.LogEndOffset(), leo, l.Size(), size, l.NumSegments(), segs)
			}
			checkCodecs(t, readAll(t, l, 0), tc.codec, tc.xerial)
			// The cleaned log survives a restart byte for byte.
			data := readAll(t, l, 0)
			if got := readAll(t, reopen(t, l, false, 0), 0); !bytes.Equal(got, data) {
				t.Fatal("log changed across recovery")
			}
		})
	}
}

// checkCodecs fails unless every batch with records keeps the codec.
func checkCodecs(t testing.TB, data []byte, codec recordbatch.Codec, xerial bool) {
	t.Helper()
	for len(data) > 0 {
		h, _ := splitBatch(data)
		data = data[len(h):]
		if h.RecordCount() == 0 {
			continue
		}
		if h.Codec() != codec {
			t.Errorf("batch at %d has codec %d, want %d", h.BaseOffset(), h.Codec(), codec)
		}
		if codec == recordbatch.Snappy && recordbatch.IsXerial(h.Payload()) != xerial {
			t.Errorf("batch at %d changed its snappy framing", h.BaseOffset())
		}
	}
}

func TestCleanPreservesOffsetsAndReadsThroughGaps(t *testing.T) {
	l := compactLog(t, Config{}, nil)
	fillUpdates(t, l, 30, 3, 4, recordbatch.None, false)
	before := logRecords(t, l)
	mustClean(t, l, testThread(1<<20), 5000)
	after := logRecords(t, l)
	checkSubsequence(t, before, after)
	kept := map[int64]bool{}
	for _, r := range after {
		kept[r.offset] = true
	}
	// A consumer fetching at any offset, kept or cleaned away, reaches
	// the first kept record at or after it (past empty batches).
	for _, r := range before {
		want := int64(-1)
		for _, a := range after {
			if a.offset >= r.offset {
				want = a.offset
				break
			}
		}
		if got := firstRecordFrom(t, l, r.offset); got != want {
			t.Fatalf("fetching from %d reaches record %d, want %d", r.offset, got, want)
		}
	}
}

// firstRecordFrom fetches as a consumer does from offset and returns the
// offset of the first record at or after it, -1 at the log end.
func firstRecordFrom(t testing.TB, l *Log, offset int64) int64 {
	t.Helper()
	for offset < l.LogEndOffset() {
		res, err := l.Read(offset, 1<<20, 1<<62, true)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := res.Bytes()
		for _, rec := range decodeRecords(t, b) {
			if rec.offset >= offset {
				return rec.offset
			}
		}
		offset = lastOffsetIn(t, b) + 1
	}
	return -1
}

func TestCleanTombstonesLiveForDeleteRetention(t *testing.T) {
	clock := newManualClock(1_000_000)
	l := compactLog(t, Config{DeleteRetentionMs: 60_000}, clock)
	mustAppend(t, l, keyedBatch(t, batchSpec{}, "a=1", "b=1", "c=1"))
	mustAppend(t, l, keyedBatch(t, batchSpec{}, "a", "b=2"))
	rollNow(t, l)
	th := testThread(1 << 20)

	// First cleaning: a=1 and b=1 are superseded, the tombstone stays with
	// a delete horizon.
	mustClean(t, l, th, nowMs(clock))
	checkKeys(t, l, "2:c=1", "3:a(tomb)", "4:b=2")
	if h := firstBatchWith(t, l, 3); h.Attributes()&recordbatch.AttrDeleteHorizon == 0 || h.BaseTimestamp() != nowMs(clock)+60_000 {
		t.Fatalf("tombstone batch attributes %x base timestamp %d, want a delete horizon at %d", h.Attributes(), h.BaseTimestamp(), nowMs(clock)+60_000)
	}
	for _, step := range []struct {
		advance time.Duration
		want    []string
	}{
		{59 * time.Second, []string{"2:c=1", "3:a(tomb)", "4:b=2", "5:d=1"}},
		{2 * time.Second, []string{"2:c=1", "4:b=2", "6:d=2"}},
	} {
		clock.advance(step.advance)
		// New dirty data makes the log worth cleaning again.
		mustAppend(t, l, keyedBatch(t, batchSpec{}, fmt.Sprintf("d=%d", l.LogEndOffset()-4)))
		rollNow(t, l)
		mustClean(t, l, th, nowMs(clock))
		checkKeys(t, l, step.want...)
	}
}

// checkKeys compares the log's records with want ("offset:key=value",
// "offset:key(tomb)").
func checkKeys(t testing.TB, l *Log, want ...string) {
	t.Helper()
	var got []string
	for _, r := range logRecords(t, l) {
		got = append(got, r.String())
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("records %v, want %v", got, want)
	}
}

// firstBatchWith returns the header of the batch holding offset.
func firstBatchWith(t testing.TB, l *Log, offset int64) header {
	t.Helper()
	r, err := l.Read(offset, 1, 1<<62, true)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := r.Bytes()
	h, err := splitBatch(b)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestCleanRespectsMinCompactionLag(t *testing.T) {
	clock := newManualClock(100_000)
	l := compactLog(t, Config{MinCompactionLagMs: 10_000, SegmentBytes: 400}, clock)
	// Old updates, then young ones in later segments.
	for i := range 12 {
		ts := int64(50_000)
		if i >= 6 {
			ts = 95_000 // younger than now - 10 s
		}
		mustAppend(t, l, keyedBatch(t, batchSpec{baseTs: ts}, fmt.Sprintf("k=%d", i), fmt.Sprintf("j=%d", i)))
	}
	rollNow(t, l)
	l.SetHighWatermark(l.LogEndOffset())
	plan, err := planCleaning(l, nowMs(clock))
	if err != nil {
		t.Fatal(err)
	}
	young := int64(-1)
	for _, s := range plan.segs {
		if s.largestTimestamp() >= 95_000 {
			young = s.base
			break
		}
	}
	if plan.firstUncleanable != young {
		t.Fatalf("first uncleanable offset %d, want %d (the first segment with a young record)", plan.firstUncleanable, young)
	}
	tail := readAll(t, l, young)
	before := logRecords(t, l)
	res := mustClean(t, l, testThread(1<<20), nowMs(clock))
	if res.endOffset > young {
		t.Fatalf("cleaned up to %d, past the young segment at %d", res.endOffset, young)
	}
	if got := readAll(t, l, young); !bytes.Equal(got, tail) {
		t.Fatal("young segments changed")
	}
	checkCompacted(t, before, logRecords(t, l), res.endOffset, false)
}

func TestCleanKeyBeyondTheMapStays(t *testing.T) {
	l := compactLog(t, Config{}, nil)
	// Distinct keys first (they fill the map), then updates of them.
	for i := range 40 {
		mustAppend(t, l, keyedBatch(t, batchSpec{}, fmt.Sprintf("k%02d=a", i)))
	}
	for i := range 40 {
		mustAppend(t, l, keyedBatch(t, batchSpec{}, fmt.Sprintf("k%02d=b", i)))
	}
	rollNow(t, l)
	before := logRecords(t, l)
	th := testThread(24 * 20) // 20 slots: 18 keys fit
	res := mustClean(t, l, th, 5000)
	if res.endOffset != 18 {
		t.Fatalf("first cleaning mapped up to %d, want 18", res.endOffset)
	}
	checkCompacted(t, before, logRecords(t, l), res.endOffset, false)
	// Every record past the map is still there, and later cleanings finish
	// the job from the checkpoint.
	for range 10 {
		if _, err := cleanOnce(t, l, th, 5000); errors.Is(err, errNothingToClean) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
	}
	after := logRecords(t, l)
	checkSubsequence(t, before, after)
	for i, r := range after {
		if want := fmt.Sprintf("k%02d=b", i); r.key+"="+r.value != want {
			t.Fatalf("record %d is %v, want %s", i, r, want)
		}
	}
}

func TestCleanLeavesTransactionalAndControlBatches(t *testing.T) {
	l := compactLog(t, Config{}, nil)
	txn := keyedBatch(t, batchSpec{producer: 9, seq: 0, editBatch: func(b *kmsgBatch) { b.Attributes |= recordbatch.AttrTransactional }}, "a=txn")
	control := keyedBatch(t, batchSpec{producer: 9, seq: -1, offset: 1, editBatch: func(b *kmsgBatch) { b.Attributes |= recordbatch.AttrTransactional | recordbatch.AttrControl }}, "\x00\x00\x00\x01=\x00\x00\x00\x00\x00\x00")
	header(txn).SetBaseOffset(0)
	follower := concat(
		txn, control,
		withOffset(keyedBatch(t, batchSpec{}, "a=new", "b=1"), 2),
		withOffset(keyedBatch(t, batchSpec{}, "b=2"), 4),
	)
	if _, err := l.AppendAsFollower(follower); err != nil {
		t.Fatal(err)
	}
	rollNow(t, l)
	mustClean(t, l, testThread(1<<20), 5000)
	data := readAll(t, l, 0)
	if !bytes.HasPrefix(data, concat(txn, control)) {
		t.Fatal("transactional or control batch changed")
	}
	checkKeys(t, l, "0:a=txn", "1:\x00\x00\x00\x01=\x00\x00\x00\x00\x00\x00", "2:a=new", "4:b=2")
}

// withOffset sets a batch's base offset and fixes nothing else (the base
// offset is outside the CRC).
func withOffset(b []byte, offset int64) []byte {
	header(b).SetBaseOffset(offset)
	return b
}

func TestCleanKeepsLastBatchOfEachProducer(t *testing.T) {
	l := compactLog(t, Config{}, nil)
	mustAppend(t, l, keyedBatch(t, batchSpec{producer: 7, seq: 0}, "a=1", "b=1"))
	last := keyedBatch(t, batchSpec{producer: 7, seq: 2, codec: recordbatch.Gzip}, "a=2", "b=2")
	mustAppend(t, l, append([]byte(nil), last...))
	mustAppend(t, l, keyedBatch(t, batchSpec{}, "a=3", "b=3"))
	mustAppend(t, l, keyedBatch(t, batchSpec{}, "c=1"))
	rollNow(t, l)
	mustClean(t, l, testThread(1<<20), 5000)
	checkKeys(t, l, "4:a=3", "5:b=3", "6:c=1")
	h := firstBatchWith(t, l, 2)
	if h.BaseOffset() != 2 || h.LastOffset() != 3 || h.RecordCount() != 0 || h.ProducerID() != 7 || h.BaseSequence() != 2 || h.Codec() != recordbatch.None {
		t.Fatalf("producer 7's last batch: offsets %d..%d, %d records, producer %d seq %d codec %d; want an empty batch 2..3 of producer 7 seq 2",
			h.BaseOffset(), h.LastOffset(), h.RecordCount(), h.ProducerID(), h.BaseSequence(), h.Codec())
	}
	if err := checkCRC(h); err != nil {
		t.Fatal(err)
	}
}

func TestCleanDropsKeylessRecords(t *testing.T) {
	l := compactLog(t, Config{}, nil)
	// A topic switched to compact may hold records without keys; Kafka's
	// cleaner drops them.
	if _, err := l.AppendAsFollower(concat(
		withOffset(buildBatch(t, batchSpec{records: 2, nullKey: true}), 0),
		withOffset(keyedBatch(t, batchSpec{}, "a=1"), 2),
	)); err != nil {
		t.Fatal(err)
	}
	rollNow(t, l)
	mustClean(t, l, testThread(1<<20), 5000)
	checkKeys(t, l, "2:a=1")
}

func TestCleanReadInFlightSurvivesSwap(t *testing.T) {
	l := compactLog(t, Config{}, nil)
	fillUpdates(t, l, 20, 2, 3, recordbatch.None, false)
	r, err := l.Read(0, 1<<20, 1<<62, true)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := r.Bytes()
	mustClean(t, l, testThread(1<<20), 5000)
	got, err := r.Bytes()
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("a read handed out before the swap changed: %v", err)
	}
}

func TestCleanAbortsWhenTruncated(t *testing.T) {
	l := compactLog(t, Config{}, nil)
	fillUpdates(t, l, 20, 2, 3, recordbatch.None, false)
	before := readAll(t, l, 0)
	th := testThread(1 << 20)
	th.crash = func(event string) bool {
		if event == "cleaned" {
			// A follower truncating while the cleaner writes.
			if err := l.TruncateTo(l.LogEndOffset() - 2); err != nil {
				t.Fatal(err)
			}
		}
		return false
	}
	if _, err := cleanOnce(t, l, th, 5000); !errors.Is(err, errCleaningAborted) {
		t.Fatalf("cleaning a truncated log: %v, want errCleaningAborted", err)
	}
	if got := readAll(t, l, 0); !bytes.Equal(got, before[:len(got)]) {
		t.Fatal("an aborted cleaning changed the log")
	}
	leftovers, _ := filepath.Glob(filepath.Join(l.Dir(), "*"+cleanedSuffix))
	if len(leftovers) > 0 {
		t.Fatalf("aborted cleaning left %v", leftovers)
	}
}

func TestCleanRefusesCorruptBatches(t *testing.T) {
	l := compactLog(t, Config{}, nil)
	fillUpdates(t, l, 10, 2, 3, recordbatch.None, false)
	// Flip a record byte of the first batch: its CRC no longer matches.
	f, err := os.OpenFile(segmentPath(l.Dir(), 0, logSuffix), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte{0xff}, recordbatch.HeaderSize+3); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := cleanOnce(t, l, testThread(1<<20), 5000); !errors.Is(err, ErrCorruptLog) {
		t.Fatalf("cleaning a corrupt log: %v, want a corruption error", err)
	}
}

func TestCleanAbortsWhenRetentionTakesASegment(t *testing.T) {
	clock := newManualClock(1_000_000)
	l := compactLog(t, Config{RetentionMs: 10_000, FileDeleteDelayMs: 1}, clock)
	fillUpdates(t, l, 20, 2, 3, recordbatch.None, false)
	th := testThread(1 << 20)
	th.crash = func(event string) bool {
		if event == "cleaned" {
			// compact,delete: retention removes the oldest segments and
			// closes their files while the cleaner has them.
			l.SetHighWatermark(l.LogEndOffset())
			if n, err := l.deleteOldSegments(nowMs(clock) + 1_000_000); err != nil || n == 0 {
				t.Fatalf("retention deleted %d segments: %v", n, err)
			}
		}
		return false
	}
	if _, err := cleanOnce(t, l, th, nowMs(clock)); !errors.Is(err, errCleaningAborted) {
		t.Fatalf("cleaning segments retention removed: %v, want errCleaningAborted", err)
	}
	if !l.cleaning.available() {
		t.Fatal("the log is not available for the next cleaning")
	}
}

// TestCleanRetimeKeepsTimestamps: a batch given a delete horizon keeps
// every record's timestamp, also a record whose new delta from the horizon
// is 0 (kmsg encodes its stale int32 delta when the 64-bit one is 0).
func TestCleanRetimeKeepsTimestamps(t *testing.T) {
	clock := newManualClock(1_000_000)
	l := compactLog(t, Config{DeleteRetentionMs: 60_000}, clock)
	horizon := nowMs(clock) + 60_000
	mustAppend(t, l, keyedBatch(t, batchSpec{baseTs: horizon - 10, tsStep: 10}, "a", "b=1", "c=1"))
	mustAppend(t, l, keyedBatch(t, batchSpec{}, "d=1"))
	rollNow(t, l)
	mustClean(t, l, testThread(1<<20), nowMs(clock))
	if h := firstBatchWith(t, l, 0); h.BaseTimestamp() != horizon {
		t.Fatalf("base timestamp %d, want the delete horizon %d", h.BaseTimestamp(), horizon)
	}
	for i, r := range logRecords(t, l)[:3] {
		if want := horizon - 10 + int64(10*i); r.ts != want {
			t.Errorf("record %d: timestamp %d, want %d", i, r.ts, want)
		}
	}
}
