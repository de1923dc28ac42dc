package handler_test

import (
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/store/partitionlog"
)

// legacyProduceReq is produceReq at an old version, carrying a message set.
func legacyProduceReq(version, acks int16, topic string, set []byte) *kmsg.ProduceRequest {
	req := produceReq(acks, topic, 0, set)
	req.Version = version
	return req
}

// TestProduceLegacyMessageSets: Produce v0-2 message sets of each magic and
// codec are stored as one record batch each, with the producer's codec,
// keys, values and (magic 1) timestamps, at consecutive offsets.
func TestProduceLegacyMessageSets(t *testing.T) {
	values := []string{"alpha", "", "gamma"}
	tests := []struct {
		name    string
		version int16
		magic   int8
		codec   legacyCodec
	}{
		{"v0 magic 0", 0, 0, codecNone},
		{"v1 magic 0 gzip", 1, 0, codecGzip},
		{"v0 magic 0 lz4", 0, 0, codecLZ4},
		{"v2 magic 1", 2, 1, codecNone},
		{"v2 magic 1 gzip", 2, 1, codecGzip},
		{"v2 magic 1 snappy", 2, 1, codecSnappy},
		{"v2 magic 1 lz4", 2, 1, codecLZ4},
		{"v1 magic 1 snappy", 1, 1, codecSnappy},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.topic("t", ledHere(1)...)
			set := legacySet(tc.magic, 5000, values...)
			if tc.codec != codecNone {
				set = legacyWrapped(t, tc.magic, tc.codec, len(values), set)
			}
			for i, wantBase := range []int64{0, 3} {
				p := f.call(legacyProduceReq(tc.version, 1, "t", set)).(*kmsg.ProduceResponse).Topics[0].Partitions[0]
				if p.ErrorCode != 0 || p.BaseOffset != wantBase {
					t.Fatalf("produce %d: error %d base offset %d, want 0 and %d", i, p.ErrorCode, p.BaseOffset, wantBase)
				}
			}
			batches := storedBatches(t, f, "t")
			if len(batches) != 2 {
				t.Fatalf("%d stored batches, want one per produce", len(batches))
			}
			for bi, b := range batches {
				checkStoredLegacy(t, b, int64(bi*3), tc.magic, tc.codec, values)
			}
		})
	}
}

func checkStoredLegacy(t *testing.T, b storedBatch, base int64, magic int8, codec legacyCodec, values []string) {
	t.Helper()
	if b.batch.FirstOffset != base || legacyCodec(b.batch.Attributes&7) != codec || len(b.records) != len(values) {
		t.Fatalf("batch at %d codec %d with %d records, want %d, %d, %d", b.batch.FirstOffset, b.batch.Attributes&7, len(b.records), base, codec, len(values))
	}
	for i, r := range b.records {
		wantTs := int64(5000 + i)
		if magic == 0 {
			wantTs = -1 // Kafka: a converted magic 0 message has no timestamp
		}
		ts := b.batch.FirstTimestamp + r.TimestampDelta64
		if string(r.Key) != string([]byte{'k', byte('0' + i)}) || string(r.Value) != values[i] || r.Value == nil || ts != wantTs {
			t.Errorf("record %d: key %q value %q ts %d, want k%d %q %d", i, r.Key, r.Value, ts, i, values[i], wantTs)
		}
	}
}

func TestProduceLegacyErrors(t *testing.T) {
	set := legacySet(1, 5000, "a", "b")
	badCRC := append([]byte{}, set...)
	badCRC[len(badCRC)-1] ^= 1
	tests := []struct {
		name  string
		topic string
		set   []byte
		code  int16
	}{
		{"bad crc", "t", badCRC, kerr.CorruptMessage.Code},
		{"bad crc inside a gzip wrapper", "t", legacyWrappedBadInner(t), kerr.CorruptMessage.Code},
		{"torn message", "t", set[:len(set)-4], kerr.CorruptMessage.Code},
		{"zstd, which magic 1 cannot carry", "t", legacyWrapped(t, 1, codecZstd, 2, set), kerr.UnsupportedCompressionType.Code},
		{"compressed wrapper with nothing inside", "t", legacyWrapped(t, 1, codecGzip, 1, nil), kerr.InvalidRecord.Code},
		{"null key on a compacted topic", "compacted", appendLegacy(nil, 1, 0, 0, 5000, nil, []byte("v")), kerr.InvalidRecord.Code},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.logCfg.set("compacted", func(c *partitionlog.Config) { c.Compacted = true })
			f.topic(tc.topic, ledHere(1)...)
			p := f.call(legacyProduceReq(2, 1, tc.topic, tc.set)).(*kmsg.ProduceResponse).Topics[0].Partitions[0]
			if p.ErrorCode != tc.code || p.BaseOffset != -1 {
				t.Fatalf("error %d (%v) base offset %d, want %d and -1", p.ErrorCode, kerr.ErrorForCode(p.ErrorCode), p.BaseOffset, tc.code)
			}
			if leo := mustLog(f, tc.topic, 0).LogEndOffset(); leo != 0 {
				t.Fatalf("log end offset %d after a refused produce", leo)
			}
		})
	}
}

func legacyWrappedBadInner(t *testing.T) []byte {
	inner := legacySet(1, 5000, "a", "b")
	inner[20] ^= 1 // a byte under the first inner message's CRC
	return legacyWrapped(t, 1, codecGzip, 2, inner)
}

// TestProduceLegacyLogAppendTime: Produce v2 answers the log append time of
// a LogAppendTime topic, and the broker's stamp replaces the producer's.
func TestProduceLegacyLogAppendTime(t *testing.T) {
	f := newFixture(t)
	f.logCfg.set("lat", func(c *partitionlog.Config) { c.TimestampType = partitionlog.LogAppendTime })
	f.topic("lat", ledHere(1)...)
	before := time.Now().UnixMilli()
	p := f.call(legacyProduceReq(2, -1, "lat", legacySet(1, 5000, "a", "b"))).(*kmsg.ProduceResponse).Topics[0].Partitions[0]
	after := time.Now().UnixMilli()
	if p.ErrorCode != 0 || p.LogAppendTime < before || p.LogAppendTime > after {
		t.Fatalf("error %d log append time %d, want within [%d, %d]", p.ErrorCode, p.LogAppendTime, before, after)
	}
	b := storedBatches(t, f, "lat")[0].batch
	if b.Attributes&0x08 == 0 || b.MaxTimestamp != p.LogAppendTime {
		t.Fatalf("stored attributes %#x max timestamp %d, want LogAppendTime %d", b.Attributes, b.MaxTimestamp, p.LogAppendTime)
	}
}

// TestProduceLegacyAcksZero: an acks=0 v0 produce gets no response and is
// appended.
func TestProduceLegacyAcksZero(t *testing.T) {
	f := newFixture(t)
	f.topic("t", ledHere(1)...)
	out, err := f.send(legacyProduceReq(0, 0, "t", legacySet(0, 0, "a", "b")))
	if err != nil || out == nil || out.Msg != nil {
		t.Fatalf("acks=0: response %+v error %v, want none and no error", out, err)
	}
	if leo := mustLog(f, "t", 0).LogEndOffset(); leo != 2 {
		t.Fatalf("log end offset %d, want 2", leo)
	}
}
