package handler_test

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"reflect"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/store/partitionlog"
)

// keyedBatch is batch with keys: "" is a null key.
func keyedBatch(ts []int64, keys ...string) []byte {
	var records []byte
	for i, k := range keys {
		r := kmsg.Record{TimestampDelta64: ts[i] - ts[0], OffsetDelta: int32(i), Value: []byte("v")}
		if k != "" {
			r.Key = []byte(k)
		}
		r.Length = int32(len(r.AppendTo(nil)[1:]))
		records = r.AppendTo(records)
	}
	n := int32(len(keys))
	b := kmsg.RecordBatch{
		PartitionLeaderEpoch: -1, Magic: 2, LastOffsetDelta: n - 1, FirstTimestamp: ts[0], MaxTimestamp: ts[0],
		ProducerID: -1, ProducerEpoch: -1, FirstSequence: -1, NumRecords: n, Records: records,
	}
	out := b.AppendTo(nil)
	binary.BigEndian.PutUint32(out[8:12], uint32(len(out)-12))
	binary.BigEndian.PutUint32(out[17:21], crc32.Checksum(out[crcStart:], castagnoli))
	return out
}

// Produce v8+ names every invalid record of a refused batch (KIP-467) with
// Kafka's messages; earlier versions carry the code alone. Nothing is
// written.
func TestProduceRecordErrors(t *testing.T) {
	now := time.Now().UnixMilli()
	same := func(n int) []int64 { ts := make([]int64, n); return fill(ts, now) }
	keyMsg := "Compacted topic cannot accept message without key in topic partition c-0"
	tests := []struct {
		name    string
		version int16
		records []byte
		code    int16
		indexes []int32
		message string // error_message; "" when none
	}{
		{"null keys v9", 9, keyedBatch(same(5), "a", "", "b", "", ""), kerr.InvalidRecord.Code, []int32{1, 3, 4},
			"One or more records have been rejected due to 3 record errors in total, and only showing the first three errors at most: [" +
				fmt.Sprintf("RecordError(batchIndex=1, message='%[1]s'), RecordError(batchIndex=3, message='%[1]s'), RecordError(batchIndex=4, message='%[1]s')]", keyMsg)},
		{"null key v8", 8, keyedBatch(same(2), "", "a"), kerr.InvalidRecord.Code, []int32{0},
			fmt.Sprintf("One or more records have been rejected due to 1 record errors in total, and only showing the first three errors at most: [RecordError(batchIndex=0, message='%s')]", keyMsg)},
		{"null key v7: the code only", 7, keyedBatch(same(2), "", "a"), kerr.InvalidRecord.Code, nil, ""},
		{"old timestamp v9", 9, keyedBatch([]int64{now, now - time.Hour.Milliseconds(), now}, "a", "b", ""), kerr.InvalidTimestamp.Code, []int32{1, 2},
			"One or more records have been rejected due to invalid timestamp"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.logCfg.set("c", func(c *partitionlog.Config) { c.Compacted, c.TimestampBeforeMaxMs = true, 60_000 })
			f.topic("c", ledHere(1)...)
			req := produceReq(1, "c", 0, tc.records)
			req.Version = tc.version
			p := f.call(req).(*kmsg.ProduceResponse).Topics[0].Partitions[0]
			if p.ErrorCode != tc.code || p.BaseOffset != -1 || p.LogStartOffset != 0 {
				t.Fatalf("code %d, base offset %d, log start %d; want code %d, -1, 0", p.ErrorCode, p.BaseOffset, p.LogStartOffset, tc.code)
			}
			var got []int32
			for _, e := range p.ErrorRecords {
				got = append(got, e.RelativeOffset)
				if e.ErrorMessage == nil || *e.ErrorMessage == "" {
					t.Errorf("record %d without message", e.RelativeOffset)
				}
			}
			if !reflect.DeepEqual(got, tc.indexes) {
				t.Errorf("record errors %v, want %v", got, tc.indexes)
			}
			if msg := deref(p.ErrorMessage); msg != tc.message {
				t.Errorf("error message\n%q\nwant\n%q", msg, tc.message)
			}
			if part, _ := f.replicas.Get("c", 0); part != nil {
				if _, _, leo := part.Offsets(); leo != 0 {
					t.Errorf("log end offset %d after a refused batch", leo)
				}
			}
		})
	}
}

func fill(ts []int64, v int64) []int64 {
	for i := range ts {
		ts[i] = v
	}
	return ts
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
