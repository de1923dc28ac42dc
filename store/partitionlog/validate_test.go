package partitionlog

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/store/recordbatch"
)

func TestValidateLeaderAcceptsEveryCodec(t *testing.T) {
	tests := []struct {
		name string
		spec batchSpec
	}{
		{"uncompressed", batchSpec{records: 5, valueSize: 100}},
		{"gzip", batchSpec{records: 50, valueSize: 100, codec: recordbatch.Gzip}},
		{"snappy block", batchSpec{records: 50, valueSize: 100, codec: recordbatch.Snappy}},
		{"snappy xerial", batchSpec{records: 50, valueSize: 100, codec: recordbatch.Snappy, xerial: true}},
		{"lz4", batchSpec{records: 50, valueSize: 100, codec: recordbatch.LZ4}},
		{"zstd", batchSpec{records: 50, valueSize: 100, codec: recordbatch.Zstd}},
		{"null keys", batchSpec{records: 3, nullKey: true}},
		{"headers", batchSpec{records: 2, editRecords: func(r []kmsg.Record) {
			r[1].Headers = []kmsg.Header{{Key: "h", Value: []byte("v")}, {Key: "", Value: nil}}
		}}},
		{"idempotent", batchSpec{records: 2, producer: 7, seq: 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := buildBatch(t, tt.spec)
			infos, err := validateLeader(b, leaderRules{cfg: DefaultConfig(), now: 5000})
			if err != nil {
				t.Fatal(err)
			}
			if len(infos) != 1 || infos[0].records != int32(max(tt.spec.records, 1)) || infos[0].size != len(b) {
				t.Fatalf("infos %+v", infos)
			}
		})
	}
}

func TestValidateLeaderRefuses(t *testing.T) {
	good := func() []byte { return buildBatch(t, batchSpec{records: 3, valueSize: 10}) }
	flip := func(b []byte, i int) []byte { b[i] ^= 0xff; return b }
	set32 := func(b []byte, off int, v uint32) []byte {
		b[off], b[off+1], b[off+2], b[off+3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
		return b
	}
	cfg := DefaultConfig()
	tests := []struct {
		name  string
		input []byte
		cfg   func(*Config)
		want  error
	}{
		{"empty produce", nil, nil, ErrInvalidRecord},
		{"shorter than a header", good()[:40], nil, ErrCorruptMessage},
		{"torn: length past the end", good()[:len(good())-1], nil, ErrCorruptMessage},
		{"length below minimum", set32(good(), recordbatch.PosLength, 10), nil, ErrCorruptMessage},
		{"trailing partial batch", concat(good(), good()[:70]), nil, ErrCorruptMessage},
		{"bad crc", flip(good(), len(good())-1), nil, ErrCorruptMessage},
		{"crc field wrong", flip(good(), recordbatch.PosCRC), nil, ErrCorruptMessage},
		{"magic 1", buildBatch(t, batchSpec{editBatch: func(b *kmsg.RecordBatch) { b.Magic = 1 }}), nil, ErrUnsupportedVersion},
		{"magic 3", buildBatch(t, batchSpec{editBatch: func(b *kmsg.RecordBatch) { b.Magic = 3 }}), nil, ErrCorruptMessage},
		{"negative magic", buildBatch(t, batchSpec{editBatch: func(b *kmsg.RecordBatch) { b.Magic = -1 }}), nil, ErrCorruptMessage},
		{"base offset not 0", buildBatch(t, batchSpec{offset: 5}), nil, ErrInvalidRecord},
		{"too large", buildBatch(t, batchSpec{records: 10, valueSize: 200}), func(c *Config) { c.MaxMessageBytes = 1000 }, ErrMessageTooLarge},
		{"list larger than a segment", concat(good(), good()), func(c *Config) { c.SegmentBytes = int64(len(good()) + 10) }, ErrRecordListTooLarge},
		{"count above offset range", buildBatch(t, batchSpec{records: 3, editBatch: func(b *kmsg.RecordBatch) { b.NumRecords = 4 }}), nil, ErrInvalidRecord},
		{"count below offset range", buildBatch(t, batchSpec{records: 3, editBatch: func(b *kmsg.RecordBatch) { b.LastOffsetDelta = 5 }}), nil, ErrInvalidRecord},
		{"negative last offset delta", buildBatch(t, batchSpec{editBatch: func(b *kmsg.RecordBatch) { b.LastOffsetDelta = -1; b.NumRecords = 0 }}), nil, ErrInvalidRecord},
		{"zero records", buildBatch(t, batchSpec{editBatch: func(b *kmsg.RecordBatch) {
			b.NumRecords, b.LastOffsetDelta, b.Records = 0, -1, nil
			b.Length = recordbatch.MinLength
		}}), nil, ErrInvalidRecord},
		{"offset deltas not monotonic", buildBatch(t, batchSpec{records: 3, editRecords: func(r []kmsg.Record) { r[1].OffsetDelta, r[2].OffsetDelta = 2, 1 }}), nil, ErrInvalidRecord},
		{"offset delta gap", buildBatch(t, batchSpec{records: 3, editRecords: func(r []kmsg.Record) { r[2].OffsetDelta = 3 }}), nil, ErrInvalidRecord},
		{"fewer records than counted", buildBatch(t, batchSpec{records: 3, editRecords: func(r []kmsg.Record) {}, editBatch: func(b *kmsg.RecordBatch) {
			b.Records = b.Records[:len(b.Records)/2]
			b.Length = int32(len(b.Records) + recordbatch.MinLength)
		}}), nil, ErrInvalidRecord},
		{"bytes after the last record", buildBatch(t, batchSpec{records: 2, editBatch: func(b *kmsg.RecordBatch) {
			b.Records = append(b.Records, 0, 0, 0)
			b.Length = int32(len(b.Records) + recordbatch.MinLength)
		}}), nil, ErrInvalidRecord},
		{"record length lies", buildBatch(t, batchSpec{records: 1, valueSize: 4, editBatch: func(b *kmsg.RecordBatch) {
			b.Records[0] += 2 // zigzag: length +1
			b.Records = append(b.Records, 0)
			b.Length = int32(len(b.Records) + recordbatch.MinLength)
		}}), nil, ErrInvalidRecord},
		// Kafka's DefaultRecord.readFrom refuses a null header key.
		{"null header key", buildBatch(t, batchSpec{records: 1, editBatch: func(b *kmsg.RecordBatch) {
			b.Records = []byte{9 << 1, 0, 0, 0, 1 << 1, 'k', 0x01, 1 << 1, 0x01, 0x01} // key "k", null value, one header: null key, null value
			b.Length = int32(len(b.Records) + recordbatch.MinLength)
		}}), nil, ErrInvalidRecord},
		{"compressed count mismatch", buildBatch(t, batchSpec{records: 5, codec: recordbatch.Zstd, editBatch: func(b *kmsg.RecordBatch) {
			b.NumRecords, b.LastOffsetDelta = 6, 5
		}}), nil, ErrInvalidRecord},
		{"gzip garbage", buildBatch(t, batchSpec{records: 5, codec: recordbatch.Gzip, editBatch: func(b *kmsg.RecordBatch) {
			for i := 12; i < len(b.Records); i++ {
				b.Records[i] ^= 0x5a
			}
		}}), nil, ErrCorruptMessage},
		{"lz4 garbage", buildBatch(t, batchSpec{records: 5, codec: recordbatch.LZ4, editBatch: func(b *kmsg.RecordBatch) { b.Records = []byte("not an lz4 frame") }}), nil, ErrCorruptMessage},
		{"unknown codec", buildBatch(t, batchSpec{codec: 5}), nil, ErrCorruptMessage},
		{"control batch from a client", buildBatch(t, batchSpec{editBatch: func(b *kmsg.RecordBatch) { b.Attributes |= recordbatch.AttrControl }}), nil, ErrInvalidRecord},
		{"producer id without sequence", buildBatch(t, batchSpec{producer: 7, seq: -1}), nil, ErrInvalidRecord},
		{"compacted topic null key", buildBatch(t, batchSpec{nullKey: true}), func(c *Config) { c.Compacted = true }, ErrInvalidRecord},
		{"timestamp too old", buildBatch(t, batchSpec{baseTs: 1000}), func(c *Config) { c.TimestampBeforeMaxMs = 100 }, ErrInvalidTimestamp},
		{"timestamp too new", buildBatch(t, batchSpec{baseTs: 9000}), func(c *Config) { c.TimestampAfterMaxMs = 100 }, ErrInvalidTimestamp},
		// Records without a timestamp (-1, from a magic 0 producer) are not
		// judged by the time limits, as Kafka's validator.
		{"no timestamp", buildBatch(t, batchSpec{baseTs: -1}), func(c *Config) { c.TimestampBeforeMaxMs, c.TimestampAfterMaxMs = 100, 100 }, nil},
		{"second batch bad", concat(good(), flip(good(), 70)), nil, ErrCorruptMessage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cfg
			if tt.cfg != nil {
				tt.cfg(&c)
			}
			_, err := validateLeader(tt.input, leaderRules{cfg: c.normalized(), now: 5000})
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

// Kafka names every invalid record of a batch, with its index among the
// batch's records, and refuses the batch INVALID_TIMESTAMP when any
// timestamp is out of bounds.
func TestValidateLeaderRecordErrors(t *testing.T) {
	tp := TopicPartition{"t", 3}
	keyMsg := "Compacted topic cannot accept message without key in topic partition t-3"
	tsMsg := func(ts, offset int64) string {
		return fmt.Sprintf("Timestamp %d of message with offset %d is out of range. The timestamp should be within [4900, 5100]", ts, offset)
	}
	nullKeys := func(idx ...int) func([]kmsg.Record) {
		return func(r []kmsg.Record) {
			for _, i := range idx {
				r[i].Key = nil
			}
		}
	}
	tests := []struct {
		name string
		spec batchSpec
		want error
		recs []RecordError
		text string
	}{
		{"null keys", batchSpec{records: 6, baseTs: 5000, editRecords: nullKeys(1, 2, 4, 5)}, ErrInvalidRecord,
			[]RecordError{{1, keyMsg}, {2, keyMsg}, {4, keyMsg}, {5, keyMsg}},
			"One or more records have been rejected due to 4 record errors in total, and only showing the first three errors at most: [" +
				"RecordError(batchIndex=1, message='" + keyMsg + "'), RecordError(batchIndex=2, message='" + keyMsg + "'), " +
				"RecordError(batchIndex=4, message='" + keyMsg + "')]"},
		{"compressed null key", batchSpec{records: 4, baseTs: 5000, codec: recordbatch.Zstd, editRecords: nullKeys(3)}, ErrInvalidRecord,
			[]RecordError{{3, keyMsg}},
			"One or more records have been rejected due to 1 record errors in total, and only showing the first three errors at most: [" +
				"RecordError(batchIndex=3, message='" + keyMsg + "')]"},
		// 4850 is too old, 5200 too new; the key is judged first.
		{"timestamps and a key", batchSpec{records: 4, baseTs: 4850, editRecords: func(r []kmsg.Record) {
			r[1].TimestampDelta64 = 150
			r[2].TimestampDelta64, r[2].Key = 350, nil
			r[3].TimestampDelta64 = 350
		}}, ErrInvalidTimestamp,
			[]RecordError{{0, tsMsg(4850, 0)}, {2, keyMsg}, {3, tsMsg(5200, 3)}},
			"One or more records have been rejected due to invalid timestamp"},
	}
	cfg := Config{Compacted: true, TimestampBeforeMaxMs: 100, TimestampAfterMaxMs: 100}.normalized()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := validateLeader(buildBatch(t, tt.spec), leaderRules{cfg: cfg, now: 5000, tp: tp})
			var re *RecordErrors
			if !errors.Is(err, tt.want) || !errors.As(err, &re) {
				t.Fatalf("got %v, want record errors of %v", err, tt.want)
			}
			if !reflect.DeepEqual(re.Records, tt.recs) {
				t.Fatalf("records %+v, want %+v", re.Records, tt.recs)
			}
			if re.Error() != tt.text {
				t.Fatalf("message\n%s\nwant\n%s", re.Error(), tt.text)
			}
		})
	}
}

// Only the broker stamps LogAppendTime: a producer's batch marked so is
// refused unless a CreateTime topic judges its records by the batch's max
// timestamp, which Kafka gives every record of such a batch.
func TestValidateLeaderProducerLogAppendTime(t *testing.T) {
	marked := func(maxTs int64) []byte {
		return buildBatch(t, batchSpec{records: 2, valueSize: 3, baseTs: 5000, editBatch: func(b *kmsg.RecordBatch) {
			b.Attributes |= recordbatch.AttrLogAppendTime
			b.MaxTimestamp = maxTs
		}})
	}
	now := int64(5000) // the upper bound wraps, as Java's long
	msg := func(i, ts int64) string {
		return fmt.Sprintf("Invalid timestamp type in message DefaultRecord(offset=%d, timestamp=%d, key=1 bytes, value=3 bytes). "+
			"Producer should not set timestamp type to LogAppendTime.", i, ts)
	}
	tests := []struct {
		name  string
		batch []byte
		cfg   Config
		recs  []RecordError // nil: accepted
	}{
		{"CreateTime topic, max timestamp in bounds", marked(5050), Config{TimestampBeforeMaxMs: 100}, nil},
		{"CreateTime topic, max timestamp out of bounds", marked(100), Config{TimestampBeforeMaxMs: 100}, []RecordError{
			{0, "Timestamp 100 of message with offset 0 is out of range. The timestamp should be within [4900, " + fmt.Sprint(now+unlimited) + "]"},
			{1, "Timestamp 100 of message with offset 1 is out of range. The timestamp should be within [4900, " + fmt.Sprint(now+unlimited) + "]"}}},
		{"CreateTime topic, no max timestamp", marked(-1), Config{}, []RecordError{{0, msg(0, -1)}, {1, msg(1, -1)}}},
		{"LogAppendTime topic", marked(5050), Config{TimestampType: LogAppendTime}, []RecordError{{0, msg(0, 5050)}, {1, msg(1, 5050)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := validateLeader(tt.batch, leaderRules{cfg: tt.cfg.normalized(), now: now})
			var re *RecordErrors
			switch {
			case tt.recs == nil && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.recs != nil && (!errors.Is(err, ErrInvalidTimestamp) || !errors.As(err, &re)):
				t.Fatalf("got %v, want INVALID_TIMESTAMP record errors", err)
			case tt.recs != nil && !reflect.DeepEqual(re.Records, tt.recs):
				t.Fatalf("records %+v\nwant %+v", re.Records, tt.recs)
			}
		})
	}
}

// A record that does not decode refuses the batch at once, whatever
// invalid records came before it.
func TestValidateLeaderUndecodableRecordIsNoRecordError(t *testing.T) {
	b := buildBatch(t, batchSpec{records: 3, nullKey: true, editRecords: func(r []kmsg.Record) { r[2].OffsetDelta = 5 }})
	_, err := validateLeader(b, leaderRules{cfg: Config{Compacted: true}.normalized(), now: 5000})
	var re *RecordErrors
	if !errors.Is(err, ErrInvalidRecord) || errors.As(err, &re) {
		t.Fatalf("got %v, want a plain INVALID_RECORD", err)
	}
}

func TestValidateLeaderIgnoresTimestampBoundsForLogAppendTime(t *testing.T) {
	cfg := Config{TimestampType: LogAppendTime, TimestampBeforeMaxMs: 1}.normalized()
	if _, err := validateLeader(buildBatch(t, batchSpec{baseTs: 1}), leaderRules{cfg: cfg, now: 1 << 40}); err != nil {
		t.Fatal(err)
	}
}

func TestValidateFollower(t *testing.T) {
	b := func(offset int64, records int) []byte {
		return buildBatch(t, batchSpec{offset: offset, records: records})
	}
	tests := []struct {
		name  string
		input []byte
		want  error
	}{
		{"increasing", concat(b(10, 2), b(12, 3)), nil},
		{"gap allowed", concat(b(10, 2), b(20, 1)), nil},
		{"overlap", concat(b(10, 2), b(11, 1)), ErrInvalidRecord},
		{"bad crc", func() []byte { x := b(0, 1); x[len(x)-1]++; return x }(), ErrCorruptMessage},
		{"magic 0", buildBatch(t, batchSpec{editBatch: func(r *kmsg.RecordBatch) { r.Magic = 0 }}), ErrUnsupportedVersion},
		{"torn", b(0, 3)[:80], ErrCorruptMessage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := validateFollower(tt.input, DefaultSegmentBytes)
			if !errors.Is(err, tt.want) && !(tt.want == nil && err == nil) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestValidateLeaderRefusesDecompressionBombs(t *testing.T) {
	// One record of 1 MiB of zeros: the gzip stream is small, the record
	// is more than 64 times max.message.bytes.
	const big = 1 << 20
	rec := kmsg.Record{Value: make([]byte, big)}
	raw := appendRecord(nil, &rec)
	b := buildBatch(t, batchSpec{codec: recordbatch.Gzip, editBatch: func(rb *kmsg.RecordBatch) {
		rb.Records = compressForTest(t, recordbatch.Gzip, false, raw)
		rb.Length = int32(len(rb.Records) + recordbatch.MinLength)
	}})
	cfg := Config{MaxMessageBytes: 4096}.normalized()
	if len(b) > 4096 {
		t.Fatalf("bomb is %d bytes", len(b))
	}
	if _, err := validateLeader(b, leaderRules{cfg: cfg}); !errors.Is(err, ErrInvalidRecord) {
		t.Fatalf("err %v", err)
	}
}
