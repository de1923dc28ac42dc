package recordbatch

import (
	"fmt"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// testRecords are n keyed records with headers, encoded back to back.
func testRecords(n int) []byte {
	var out []byte
	for i := range n {
		r := kmsg.Record{
			TimestampDelta64: int64(i * 3), OffsetDelta: int32(i),
			Key: fmt.Appendf(nil, "key-%d", i), Value: fmt.Appendf(nil, "value-%d-%0100d", i, i),
			Headers: []kmsg.Header{{Key: "h", Value: []byte("v")}},
		}
		out = AppendRecord(out, &r)
	}
	return out
}

// testBatch builds a sealed batch of n test records compressed with codec.
func testBatch(t testing.TB, codec Codec, n int) []byte {
	t.Helper()
	var c Compressor
	payload := testRecords(n)
	if codec != None {
		var err error
		if payload, err = c.Append(nil, codec, payload, false); err != nil {
			t.Fatal(err)
		}
	}
	return AppendBatch(nil, Fields{
		BaseOffset: 100, LeaderEpoch: 7, Attributes: int16(codec), LastOffsetDelta: int32(n - 1),
		BaseTimestamp: 1000, MaxTimestamp: 1000 + int64(3*(n-1)), ProducerID: 42, ProducerEpoch: 3,
		BaseSequence: 9, RecordCount: int32(n),
	}, payload)
}

var allCodecs = []Codec{None, Gzip, Snappy, LZ4, Zstd}

// oneRecord is one encoded record holding value.
func oneRecord(value []byte) []byte {
	return AppendRecord(nil, &kmsg.Record{Key: []byte("k"), Value: value})
}
