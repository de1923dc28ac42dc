package replication

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/test/harness"
)

// replicaLog is one replica's partition log as read from a stopped
// broker's disk.
type replicaLog struct {
	broker        int32
	start, hw, le int64
	batches       []byte // every batch, as stored
}

// readReplica opens a stopped broker's log dir and reads one partition
// (harness.ReadReplica), in the fields this package's checks use.
func readReplica(t *testing.T, b *harness.Broker, topic string, p int32) replicaLog {
	t.Helper()
	r := harness.ReadReplica(t, b, topic, p)
	return replicaLog{broker: r.Broker, start: r.Start, hw: r.HW, le: r.LogEnd, batches: r.Batches}
}

type batch struct {
	base, next int64
	raw        []byte
}

func splitBatches(b []byte) []batch {
	var out []batch
	for len(b) >= 61 {
		var rb kmsg.RecordBatch
		size := int(int32(be32(b[8:12]))) + 12
		if size > len(b) || rb.ReadFrom(b[:size]) != nil {
			break
		}
		out = append(out, batch{base: rb.FirstOffset, next: rb.FirstOffset + int64(rb.LastOffsetDelta) + 1, raw: b[:size]})
		b = b[size:]
	}
	return out
}

func be32(b []byte) uint32 { return binary.BigEndian.Uint32(b) }

// below returns the batches ending at or below offset, byte for byte.
func (r replicaLog) below(offset int64) []byte {
	var out []byte
	for _, b := range splitBatches(r.batches) {
		if b.next > offset {
			break
		}
		out = append(out, b.raw...)
	}
	return out
}

// values decodes the record values of a log, in offset order, with offsets.
func (r replicaLog) values(t *testing.T) []record {
	t.Helper()
	var out []record
	for _, b := range splitBatches(r.batches) {
		var rb kmsg.RecordBatch
		if err := rb.ReadFrom(b.raw); err != nil {
			t.Fatal(err)
		}
		recs, err := decodeRecords(rb)
		if err != nil {
			t.Fatalf("broker %d batch at %d: %v", r.broker, b.base, err)
		}
		out = append(out, recs...)
	}
	return out
}

type record struct {
	offset int64
	value  string
}

func decodeRecords(rb kmsg.RecordBatch) ([]record, error) {
	if rb.Attributes&0x7 != 0 {
		return nil, fmt.Errorf("compressed batch (codec %d): produce uncompressed in these tests", rb.Attributes&0x7)
	}
	var out []record
	data := rb.Records
	for i := int32(0); i < rb.NumRecords; i++ {
		var r kmsg.Record
		n, err := readRecord(data, &r)
		if err != nil {
			return nil, err
		}
		out = append(out, record{offset: rb.FirstOffset + int64(r.OffsetDelta), value: string(r.Value)})
		data = data[n:]
	}
	return out, nil
}

// readRecord decodes one length-prefixed record and returns its size.
func readRecord(data []byte, r *kmsg.Record) (int, error) {
	length, n := varint(data)
	if n <= 0 || int(length) < 0 || n+int(length) > len(data) {
		return 0, fmt.Errorf("bad record length")
	}
	size := n + int(length)
	if err := r.ReadFrom(data[:size]); err != nil {
		return 0, err
	}
	return size, nil
}

func varint(b []byte) (int64, int) {
	var x uint64
	var s uint
	for i, c := range b {
		if i == 10 {
			return 0, -1
		}
		if c < 0x80 {
			x |= uint64(c) << s
			return int64(x>>1) ^ -int64(x&1), i + 1
		}
		x |= uint64(c&0x7f) << s
		s += 7
	}
	return 0, 0
}

// checkReplicasAgree reads every broker's copy of a partition and checks
// that each holds the leader's committed log: every offset below the
// highest high watermark of them, byte for byte the same. It returns the
// replicas, the leader's first.
func checkReplicasAgree(t *testing.T, c *cluster, topic string, p int32) []replicaLog {
	t.Helper()
	var reps []replicaLog
	var hw int64
	for id := int32(1); id <= int32(len(c.brokers)); id++ {
		r := readReplica(t, c.brokers[id], topic, p)
		reps = append(reps, r)
		hw = max(hw, r.hw)
	}
	want := reps[0].below(hw)
	for _, r := range reps {
		if r.le < hw {
			t.Errorf("%s-%d: broker %d ends at %d, below the high watermark %d", topic, p, r.broker, r.le, hw)
			continue
		}
		if got := r.below(hw); !bytes.Equal(got, want) {
			t.Errorf("%s-%d: broker %d differs from broker %d below the high watermark %d (%d vs %d bytes)",
				topic, p, r.broker, reps[0].broker, hw, len(got), len(want))
		}
	}
	return reps
}

// withCRC fills in a v2 batch's length and CRC-32C.
func withCRC(b []byte) []byte {
	binary.BigEndian.PutUint32(b[8:12], uint32(len(b)-12))
	binary.BigEndian.PutUint32(b[17:21], crc32.Checksum(b[21:], crc32.MakeTable(crc32.Castagnoli)))
	return b
}
