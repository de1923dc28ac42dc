package coordlog

import (
	"errors"
	"testing"

	"github.com/kqhq/kq/store/recordbatch"
)

func TestBatchRoundTrip(t *testing.T) {
	kvs := [][2][]byte{{[]byte("a"), []byte("1")}, {[]byte("b"), nil}, {[]byte("c"), []byte("3")}}
	tests := []struct {
		name string
		p    Producer
	}{
		{"no producer", NoProducer},
		{"transactional producer", Producer{ID: 9, Epoch: 2, Transactional: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := EncodeBatch(1234, tc.p, len(kvs), func(i int) ([]byte, []byte) { return kvs[i][0], kvs[i][1] })
			recordbatch.Header(b).SetBaseOffset(10)
			var recs []Record
			next, err := EachBatch(append(b, b[:20]...), func(h recordbatch.Header) error {
				if err := h.CheckCRC(); err != nil {
					return err
				}
				if h.ProducerID() != tc.p.ID || h.ProducerEpoch() != tc.p.Epoch || h.Transactional() != tc.p.Transactional ||
					h.BaseSequence() != recordbatch.NoSequence || h.MaxTimestamp() != 1234 {
					t.Fatalf("header fields: producer %d/%d transactional %v", h.ProducerID(), h.ProducerEpoch(), h.Transactional())
				}
				var err error
				recs, err = ReadRecords(h, h.RecordCount())
				return err
			})
			if err != nil || next != 13 || len(recs) != 3 {
				t.Fatalf("next %d, %d records, error %v", next, len(recs), err)
			}
			for i, r := range recs {
				if r.Offset != int64(10+i) || string(r.Key) != string(kvs[i][0]) || (r.Value == nil) != (kvs[i][1] == nil) {
					t.Fatalf("record %d: %+v", i, r)
				}
			}
		})
	}
}

func TestReadRecordsRefusesCompressed(t *testing.T) {
	b := EncodeBatch(1, NoProducer, 1, func(int) ([]byte, []byte) { return []byte("k"), nil })
	h := recordbatch.Header(b)
	h.SetAttributes(int16(recordbatch.Gzip))
	if _, err := ReadRecords(h, 1); !errors.Is(err, ErrCompressed) {
		t.Fatalf("error %v, want ErrCompressed", err)
	}
}
