package harness

import (
	"bytes"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kqhq/kq/store/partitionlog"
	"github.com/kqhq/kq/store/recordbatch"
)

// ReplicaLog is one replica of a partition as read from a stopped
// broker's log dir.
type ReplicaLog struct {
	Broker            int32
	Start, HW, LogEnd int64
	Batches           []byte // every batch, as stored
}

// ReadReplica opens a stopped broker's log dirs and reads one partition.
func ReadReplica(t testing.TB, b *Broker, topic string, p int32) ReplicaLog {
	t.Helper()
	logs, err := partitionlog.OpenManager(b.logDirs(), partitionlog.ManagerOptions{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("open logs of broker %d: %v", b.Opts.BrokerID, err)
	}
	defer logs.Close()
	l, ok := logs.Get(partitionlog.TopicPartition{Topic: topic, Partition: p})
	if !ok {
		t.Fatalf("broker %d has no log for %s-%d", b.Opts.BrokerID, topic, p)
	}
	out := ReplicaLog{Broker: b.Opts.BrokerID, Start: l.LogStartOffset(), HW: l.HighWatermark(), LogEnd: l.LogEndOffset()}
	var buf bytes.Buffer
	for off := out.Start; off < out.LogEnd; {
		res, err := l.Read(off, 8<<20, out.LogEnd, true)
		if err != nil {
			t.Fatalf("read %s-%d at %d on broker %d: %v", topic, p, off, b.Opts.BrokerID, err)
		}
		if res.Len == 0 {
			break
		}
		data, err := res.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(data)
		bs := SplitBatches(data)
		if len(bs) == 0 {
			t.Fatalf("%s-%d at %d on broker %d: no whole batch in %d bytes", topic, p, off, b.Opts.BrokerID, len(data))
		}
		off = recordbatch.Header(bs[len(bs)-1]).LastOffset() + 1
	}
	out.Batches = buf.Bytes()
	return out
}

// logDirs are the broker's log.dirs: its own, or the default under its
// data dir.
func (b *Broker) logDirs() []string {
	if dirs := b.Opts.Props["log.dirs"]; dirs != "" {
		return strings.Split(dirs, ",")
	}
	return []string{filepath.Join(b.DataDir, "logs")}
}

// SplitBatches cuts bytes into whole batches by their length fields; a
// batch cut short ends the list.
func SplitBatches(b []byte) [][]byte {
	var out [][]byte
	for len(b) >= recordbatch.HeaderSize {
		size := recordbatch.Header(b).Size()
		if size < recordbatch.HeaderSize || size > int64(len(b)) {
			break
		}
		out = append(out, b[:size])
		b = b[size:]
	}
	return out
}

// Below returns the batches ending below offset, byte for byte.
func (r ReplicaLog) Below(offset int64) []byte {
	var out []byte
	for _, b := range SplitBatches(r.Batches) {
		if recordbatch.Header(b).LastOffset() >= offset {
			break
		}
		out = append(out, b...)
	}
	return out
}

// CheckReplicasAgree reads every stopped broker's copy of a partition and
// checks that each holds the committed log: every batch below the highest
// high watermark among them, byte for byte the same.
func CheckReplicasAgree(t testing.TB, brokers []*Broker, topic string, p int32) {
	t.Helper()
	var reps []ReplicaLog
	var hw int64
	for _, b := range brokers {
		r := ReadReplica(t, b, topic, p)
		reps = append(reps, r)
		hw = max(hw, r.HW)
	}
	want := reps[0].Below(hw)
	for _, r := range reps {
		if r.LogEnd < hw {
			t.Errorf("%s-%d: broker %d ends at %d, below the high watermark %d", topic, p, r.Broker, r.LogEnd, hw)
			continue
		}
		if got := r.Below(hw); !bytes.Equal(got, want) {
			t.Errorf("%s-%d: broker %d differs from broker %d below the high watermark %d (%d vs %d bytes)",
				topic, p, r.Broker, reps[0].Broker, hw, len(got), len(want))
		}
	}
}
