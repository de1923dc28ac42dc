package partitionlog

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/kqhq/kq/store/recordbatch"
)

func TestAppendAssignsOffsetsAndEpoch(t *testing.T) {
	l := testLog(t, Config{}, nil)
	b1 := buildBatch(t, batchSpec{records: 3, baseTs: 2000, tsStep: 10, epoch: -1})
	b2 := buildBatch(t, batchSpec{records: 2, baseTs: 1500})
	info, err := l.Append(concat(b1, b2), 7)
	if err != nil {
		t.Fatal(err)
	}
	want := AppendInfo{FirstOffset: 0, LastOffset: 4, LogAppendTime: -1, MaxTimestamp: 2020, OffsetOfMaxTimestamp: 2,
		RecordCount: 5, Batches: 2, Bytes: int64(len(b1) + len(b2)), LogStartOffset: 0}
	if info != want {
		t.Fatalf("info %+v, want %+v", info, want)
	}
	info, err = l.Append(buildBatch(t, batchSpec{records: 1}), 7)
	if err != nil || info.FirstOffset != 5 || l.LogEndOffset() != 6 {
		t.Fatalf("second append %+v %v, leo %d", info, err, l.LogEndOffset())
	}
	got := readAll(t, l, 0)
	if offs := batchOffsets(t, got); len(offs) != 3 || offs[0] != 0 || offs[1] != 3 || offs[2] != 5 {
		t.Fatalf("batch offsets %v", offs)
	}
	for b := got; len(b) > 0; {
		h, err := splitBatch(b)
		if err != nil || checkCRC(h) != nil || h.LeaderEpoch() != 7 {
			t.Fatalf("stored batch: err %v crc %v epoch %d", err, checkCRC(h), h.LeaderEpoch())
		}
		b = b[len(h):]
	}
	if e := l.LeaderEpochs().Entries(); len(e) != 1 || e[0] != (EpochEntry{7, 0}) {
		t.Fatalf("epochs %v", e)
	}
}

func TestAppendTimestampRewrite(t *testing.T) {
	tests := []struct {
		name       string
		tt         TimestampType
		spec       batchSpec
		wantMaxTs  int64
		wantLAT    int64
		wantTsType TimestampType
	}{
		// A producer that lies about max timestamp gets it corrected, as
		// Kafka's setMaxTimestamp does.
		{"create time fixes max", CreateTime, batchSpec{records: 3, baseTs: 100, tsStep: 5,
			editBatch: func(b *kmsgBatch) { b.MaxTimestamp = 1 }}, 110, -1, CreateTime},
		{"log append time stamps", LogAppendTime, batchSpec{records: 3, baseTs: 100}, 1_000_000, 1_000_000, LogAppendTime},
		{"log append time compressed", LogAppendTime, batchSpec{records: 3, codec: recordbatch.LZ4}, 1_000_000, 1_000_000, LogAppendTime},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := testLog(t, Config{TimestampType: tt.tt}, newManualClock(1_000_000))
			info := mustAppend(t, l, buildBatch(t, tt.spec))
			if info.LogAppendTime != tt.wantLAT || info.MaxTimestamp != tt.wantMaxTs {
				t.Fatalf("info %+v", info)
			}
			h := header(readAll(t, l, 0))
			if h.MaxTimestamp() != tt.wantMaxTs || h.LogAppendTime() != (tt.wantTsType == LogAppendTime) || checkCRC(h) != nil {
				t.Fatalf("stored max ts %d log append time %v crc %v", h.MaxTimestamp(), h.LogAppendTime(), checkCRC(h))
			}
		})
	}
}

func TestAppendRefusedLeavesDiskUntouched(t *testing.T) {
	l := testLog(t, Config{}, nil)
	mustAppend(t, l, buildBatch(t, batchSpec{records: 2}))
	size, leo := l.Size(), l.LogEndOffset()
	bad := buildBatch(t, batchSpec{records: 2})
	bad[len(bad)-1] ^= 1
	good := buildBatch(t, batchSpec{records: 2})
	if _, err := l.Append(concat(good, bad), 0); !errors.Is(err, ErrCorruptMessage) {
		t.Fatalf("err %v", err)
	}
	st, err := os.Stat(segmentPath(l.Dir(), 0, logSuffix))
	if err != nil {
		t.Fatal(err)
	}
	if l.Size() != size || l.LogEndOffset() != leo || st.Size() != size {
		t.Fatalf("size %d file %d leo %d after a refused append; want %d %d", l.Size(), st.Size(), l.LogEndOffset(), size, leo)
	}
}

func TestAppendAsFollower(t *testing.T) {
	l := testLog(t, Config{}, nil)
	b := func(offset int64, n int, epoch int32) []byte {
		return buildBatch(t, batchSpec{offset: offset, records: n, epoch: epoch})
	}
	tests := []struct {
		name    string
		input   []byte
		want    error
		wantLEO int64
	}{
		{"first", concat(b(0, 2, 1), b(2, 3, 1)), nil, 5},
		{"gap is kept", b(10, 1, 2), nil, 11},
		{"below log end", b(9, 3, 2), ErrUnexpectedAppendOffset, 11},
		{"empty", nil, nil, 11},
		{"overlapping batches", concat(b(11, 2, 2), b(12, 1, 2)), ErrInvalidRecord, 11},
	}
	for _, tt := range tests {
		_, err := l.AppendAsFollower(tt.input)
		if !errors.Is(err, tt.want) && !(err == nil && tt.want == nil) {
			t.Fatalf("%s: err %v, want %v", tt.name, err, tt.want)
		}
		if l.LogEndOffset() != tt.wantLEO {
			t.Fatalf("%s: leo %d, want %d", tt.name, l.LogEndOffset(), tt.wantLEO)
		}
	}
	if e := l.LeaderEpochs().Entries(); len(e) != 2 || e[0] != (EpochEntry{1, 0}) || e[1] != (EpochEntry{2, 10}) {
		t.Fatalf("epochs %v", e)
	}
	// The bytes are stored exactly as the leader sent them.
	want := concat(b(0, 2, 1), b(2, 3, 1), b(10, 1, 2))
	if got := readAll(t, l, 0); !bytes.Equal(got, want) {
		t.Fatal("follower bytes changed on the way to disk")
	}
	// A read at an offset inside the gap returns the batch after it.
	r, err := l.Read(7, 1000, 1<<62, true)
	if err != nil || r.FirstOffset != 10 {
		t.Fatalf("read in gap: %+v %v", r, err)
	}
}

func TestFollowerRollsWhenOffsetsLeaveInt32Range(t *testing.T) {
	l := testLog(t, Config{}, nil)
	if _, err := l.AppendAsFollower(buildBatch(t, batchSpec{offset: 0})); err != nil {
		t.Fatal(err)
	}
	far := int64(1) << 33
	if _, err := l.AppendAsFollower(buildBatch(t, batchSpec{offset: far})); err != nil {
		t.Fatal(err)
	}
	if l.NumSegments() != 2 || l.active().base != far {
		t.Fatalf("segments %d, active base %d", l.NumSegments(), l.active().base)
	}
}

func TestChangedClosesOnAppendAndHighWatermark(t *testing.T) {
	l := testLog(t, Config{}, nil)
	ch := l.Changed()
	select {
	case <-ch:
		t.Fatal("closed before any change")
	default:
	}
	mustAppend(t, l, buildBatch(t, batchSpec{}))
	<-ch // must not block
	ch = l.Changed()
	if got := l.SetHighWatermark(5); got != 1 {
		t.Fatalf("hw clamped to %d, want 1", got)
	}
	<-ch
}

func TestConcurrentReadersNeverSeePartialBatches(t *testing.T) {
	l := testLog(t, Config{SegmentBytes: 64 << 10}, nil)
	const batches = 300
	done := make(chan struct{})
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			for {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				if err := checkReadable(l); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for i := range batches {
		mustAppend(t, l, buildBatch(t, batchSpec{records: 1 + i%5, valueSize: 100 + i}))
	}
	close(done)
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// checkReadable reads the whole log and checks every batch's CRC.
func checkReadable(l *Log) error {
	for off := l.LogStartOffset(); off < l.LogEndOffset(); {
		r, err := l.Read(off, 4096, 1<<62, true)
		if err != nil {
			return err
		}
		b, err := r.Bytes()
		if err != nil {
			return err
		}
		if len(b) == 0 {
			return errors.New("empty read below the log end")
		}
		for len(b) > 0 {
			h, err := splitBatch(b)
			if err == nil {
				err = checkCRC(h)
			}
			if err != nil {
				return err
			}
			off = h.LastOffset() + 1
			b = b[len(h):]
		}
	}
	return nil
}

func TestClosedLogRefusesAndWakesWaiters(t *testing.T) {
	l := testLog(t, Config{}, nil)
	mustAppend(t, l, buildBatch(t, batchSpec{}))
	ch := l.Changed()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	<-ch // a long-poll waiting on a closed log returns
	if _, err := l.Append(buildBatch(t, batchSpec{}), 0); !errors.Is(err, ErrClosed) {
		t.Fatalf("append: %v", err)
	}
	if _, err := l.Read(0, 100, 1<<62, true); !errors.Is(err, ErrClosed) {
		t.Fatalf("read: %v", err)
	}
	if err := l.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}
}
