package diskfaults

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"log/slog"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/store/partitionlog"
)

// replica is one replica's partition log as read from a stopped broker's
// disk.
type replica struct {
	broker  int32
	hw, end int64
	batches []byte // every batch, as stored
}

// readReplica opens a stopped broker's log dirs and reads one partition.
func readReplica(t *testing.T, c *cluster, id int32, topic string, p int32) replica {
	t.Helper()
	logs, err := partitionlog.OpenManager(c.logDirsOf(id), partitionlog.ManagerOptions{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("open logs of broker %d: %v", id, err)
	}
	defer logs.Close()
	l, ok := logs.Get(partitionlog.TopicPartition{Topic: topic, Partition: p})
	if !ok {
		t.Fatalf("broker %d has no log for %s-%d", id, topic, p)
	}
	out := replica{broker: id, hw: l.HighWatermark(), end: l.LogEndOffset()}
	var buf bytes.Buffer
	for off := l.LogStartOffset(); off < out.end; {
		res, err := l.Read(off, 8<<20, out.end, true)
		if err != nil {
			t.Fatalf("read %s-%d at %d on broker %d: %v", topic, p, off, id, err)
		}
		if res.Len == 0 {
			break
		}
		data, err := res.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(data)
		bs := splitBatches(data)
		off = bs[len(bs)-1].next
	}
	out.batches = buf.Bytes()
	return out
}

type batch struct {
	next int64
	raw  []byte
}

func splitBatches(b []byte) []batch {
	var out []batch
	for len(b) >= 61 {
		var rb kmsg.RecordBatch
		size := int(int32(binary.BigEndian.Uint32(b[8:12]))) + 12
		if size > len(b) || rb.ReadFrom(b[:size]) != nil {
			break
		}
		out = append(out, batch{next: rb.FirstOffset + int64(rb.LastOffsetDelta) + 1, raw: b[:size]})
		b = b[size:]
	}
	return out
}

// below returns the batches ending at or below offset, byte for byte.
func (r replica) below(offset int64) []byte {
	var out []byte
	for _, b := range splitBatches(r.batches) {
		if b.next > offset {
			break
		}
		out = append(out, b.raw...)
	}
	return out
}

// checkReplicasAgree checks that every broker holds the same log of a
// partition below the highest high watermark of them, byte for byte.
func checkReplicasAgree(t *testing.T, c *cluster, topic string, p int32) {
	t.Helper()
	var reps []replica
	var hw int64
	for id := int32(1); id <= 3; id++ {
		r := readReplica(t, c, id, topic, p)
		reps = append(reps, r)
		hw = max(hw, r.hw)
	}
	want := reps[0].below(hw)
	for _, r := range reps {
		if r.end < hw {
			t.Errorf("%s-%d: broker %d ends at %d, below the high watermark %d", topic, p, r.broker, r.end, hw)
			continue
		}
		if got := r.below(hw); !bytes.Equal(got, want) {
			t.Errorf("%s-%d: broker %d differs from broker 1 below the high watermark %d (%d vs %d bytes)",
				topic, p, r.broker, hw, len(got), len(want))
		}
	}
}

// oneRecordBatch is a v2 batch holding one record, its length and
// CRC-32C filled in.
func oneRecordBatch(value string) []byte {
	r := kmsg.Record{Value: []byte(value)}
	body := r.AppendTo(nil)[1:]
	r.Length = int32(len(body))
	now := time.Now().UnixMilli()
	b := kmsg.RecordBatch{PartitionLeaderEpoch: -1, Magic: 2, FirstTimestamp: now, MaxTimestamp: now,
		ProducerID: -1, ProducerEpoch: -1, FirstSequence: -1, NumRecords: 1, Records: r.AppendTo(nil)}
	raw := b.AppendTo(nil)
	binary.BigEndian.PutUint32(raw[8:12], uint32(len(raw)-12))
	binary.BigEndian.PutUint32(raw[17:21], crc32.Checksum(raw[21:], crc32.MakeTable(crc32.Castagnoli)))
	return raw
}
