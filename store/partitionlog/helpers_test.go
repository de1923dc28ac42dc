package partitionlog

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"log/slog"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/store/recordbatch"
	"github.com/kqhq/kq/store/recordbatch/recordbatchtest"
)

// batchSpec describes a test batch; the zero value is one uncompressed
// record at timestamp 1000.
type kmsgBatch = kmsg.RecordBatch

type batchSpec struct {
	records   int
	valueSize int
	codec     recordbatch.Codec
	xerial    bool  // snappy in the Java client's framing
	baseTs    int64 // first record timestamp (0 means 1000)
	tsStep    int64 // timestamp increment per record
	offset    int64 // base offset (followers)
	epoch     int32
	producer  int64 // producer id (0 means -1)
	seq       int32
	nullKey   bool
	text      bool // values of pseudo-random words instead of one repeated byte
	// editRecords changes the records before encoding (to break them).
	editRecords func([]kmsg.Record)
	// editBatch changes the batch before encoding; the CRC is computed
	// after unless keepCRC is set.
	editBatch func(*kmsg.RecordBatch)
	keepCRC   bool
}

// buildBatch encodes a v2 batch with franz-go's kmsg and a CRC32C.
func buildBatch(t testing.TB, s batchSpec) []byte {
	t.Helper()
	n := max(s.records, 1)
	base := s.baseTs
	if base == 0 {
		base = 1000
	}
	recs := make([]kmsg.Record, n)
	for i := range recs {
		recs[i] = kmsg.Record{
			TimestampDelta64: int64(i) * s.tsStep, OffsetDelta: int32(i),
			Key: []byte{byte('a' + i%26)}, Value: bytes.Repeat([]byte{byte(i)}, s.valueSize),
		}
		if s.text {
			recs[i].Value = wordsValue(i, s.valueSize)
		}
		if s.nullKey {
			recs[i].Key = nil
		}
	}
	if s.editRecords != nil {
		s.editRecords(recs)
	}
	var raw []byte
	for i := range recs {
		raw = appendRecord(raw, &recs[i])
	}
	b := kmsg.RecordBatch{
		FirstOffset: s.offset, PartitionLeaderEpoch: s.epoch, Magic: 2,
		Attributes: int16(s.codec), LastOffsetDelta: int32(n - 1),
		FirstTimestamp: base, MaxTimestamp: base + int64(n-1)*s.tsStep,
		ProducerID: -1, ProducerEpoch: -1, FirstSequence: -1, NumRecords: int32(n),
		Records: compressForTest(t, s.codec, s.xerial, raw),
	}
	if s.producer != 0 {
		b.ProducerID, b.ProducerEpoch, b.FirstSequence = s.producer, 0, s.seq
	}
	b.Length = int32(len(b.Records) + recordbatch.MinLength)
	if s.editBatch != nil {
		s.editBatch(&b)
	}
	out := b.AppendTo(nil)
	if !s.keepCRC {
		binary.BigEndian.PutUint32(out[recordbatch.PosCRC:], crc32.Checksum(out[recordbatch.PosAttributes:], crc32.MakeTable(crc32.Castagnoli)))
	}
	return out
}

// appendRecord encodes r with its Length field filled in.
func appendRecord(dst []byte, r *kmsg.Record) []byte {
	r.Length = 0
	body := r.AppendTo(nil)[1:] // a zero Length takes one byte
	r.Length = int32(len(body))
	return r.AppendTo(dst)
}

// compressForTest compresses with the codec libraries' own writers; an
// unknown codec keeps raw, for tests of its refusal. Xerial chunks are
// 1 KiB so tests cross chunk boundaries.
func compressForTest(t testing.TB, codec recordbatch.Codec, xerial bool, raw []byte) []byte {
	switch {
	case codec > recordbatch.Zstd:
		return raw
	case codec == recordbatch.Snappy && xerial:
		return recordbatchtest.Xerial(raw, 1024)
	}
	return recordbatchtest.Compress(t, codec, raw)
}

func concat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// manualClock is a Clock tests move by hand: advance lets time pass, jump
// steps the wall clock alone, as an operator or NTP does.
type manualClock struct{ ms, mono atomic.Int64 }

func newManualClock(ms int64) *manualClock {
	c := &manualClock{}
	c.ms.Store(ms)
	return c
}

func (c *manualClock) Now() time.Time           { return time.UnixMilli(c.ms.Load()) }
func (c *manualClock) Monotonic() time.Duration { return time.Duration(c.mono.Load()) }
func (c *manualClock) advance(d time.Duration) {
	c.ms.Add(d.Milliseconds())
	c.mono.Add(int64(d))
}
func (c *manualClock) jump(d time.Duration) { c.ms.Add(d.Milliseconds()) }

// discardLogger keeps test output quiet; set KQ_TEST_LOG to see it.
func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

var testTP = TopicPartition{Topic: "orders", Partition: 3}

// testLog creates a log in a fresh temporary directory and closes it at the
// end of the test.
func testLog(t testing.TB, cfg Config, clock Clock) *Log {
	t.Helper()
	if clock == nil {
		clock = newManualClock(1_000_000)
	}
	o := logOptions{dir: filepath.Join(t.TempDir(), testTP.dirName()), tp: testTP, cfg: cfg, clock: clock, logger: discardLogger()}
	l, err := createLog(o, [16]byte{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// reopen closes l and opens its directory again. clean false simulates a
// crash after the close: recovery runs from the given recovery point.
func reopen(t testing.TB, l *Log, clean bool, recoveryPoint int64) *Log {
	t.Helper()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return openAgain(t, l, clean, recoveryPoint)
}

// openAgain opens l's directory (l must be closed or abandoned).
func openAgain(t testing.TB, l *Log, clean bool, recoveryPoint int64) *Log {
	t.Helper()
	o := logOptions{
		dir: l.Dir(), tp: l.tp, cfg: l.Config(), clock: l.clock, logger: discardLogger(),
		clean: clean, recoveryPoint: recoveryPoint, logStart: l.LogStartOffset(), hw: l.HighWatermark(),
	}
	nl, err := openLog(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nl.Close() })
	return nl
}

func mustAppend(t testing.TB, l *Log, batches ...[]byte) AppendInfo {
	t.Helper()
	info, err := l.Append(concat(batches...), 0)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

// readAll returns the bytes of every batch from offset to the log end, as a
// consumer would fetch them, one Read at a time.
func readAll(t testing.TB, l *Log, offset int64) []byte {
	t.Helper()
	var out []byte
	for offset < l.LogEndOffset() {
		r, err := l.Read(offset, 1<<20, 1<<62, true)
		if err != nil {
			t.Fatal(err)
		}
		if r.Len == 0 {
			t.Fatalf("empty read at %d below log end %d", offset, l.LogEndOffset())
		}
		b, err := r.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b...)
		offset = lastOffsetIn(t, b) + 1
	}
	return out
}

// lastOffsetIn returns the last offset of the last batch in b.
func lastOffsetIn(t testing.TB, b []byte) int64 {
	t.Helper()
	last := int64(-1)
	for len(b) > 0 {
		h, err := splitBatch(b)
		if err != nil {
			t.Fatal(err)
		}
		last = h.LastOffset()
		b = b[len(h):]
	}
	return last
}

// batchOffsets lists the base offsets of the batches in b.
func batchOffsets(t testing.TB, b []byte) []int64 {
	t.Helper()
	var out []int64
	for len(b) > 0 {
		h, err := splitBatch(b)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, h.BaseOffset())
		b = b[len(h):]
	}
	return out
}

// deadline polls cond until it holds or a few seconds pass.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	end := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(end) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func contextWithCancel() (context.Context, context.CancelFunc) {
	return context.WithCancel(context.Background())
}

// wordsValue is n bytes of JSON-ish text drawn from a small vocabulary, so
// it compresses like real payloads rather than like a run of one byte.
func wordsValue(seed, n int) []byte {
	words := []string{"order", "id", "customer", "amount", "currency", "EUR", "status", "shipped", "created", "2024-05-01T10:00:00Z", "items", "sku", "qty"}
	out := make([]byte, 0, n+32)
	x := uint32(seed*2654435761 + 1)
	for len(out) < n {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		out = append(out, `"`...)
		out = append(out, words[x%uint32(len(words))]...)
		out = append(out, `":`...)
		out = strconv.AppendUint(out, uint64(x%100000), 10)
		out = append(out, ',')
	}
	return out[:n]
}
