package dumplog

import (
	"encoding/binary"
	"hash/crc32"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/cmd/kq/internal/cli/iostreams"
	"github.com/kqhq/kq/cmd/kq/internal/cli/output"
	"github.com/kqhq/kq/store/recordbatch"
)

// batch builds a sealed uncompressed batch of records at base.
func batch(base int64, attrs int16, ts int64, recs ...kmsg.Record) []byte {
	var payload []byte
	for i := range recs {
		recs[i].OffsetDelta = int32(i)
		payload = recordbatch.AppendRecord(payload, &recs[i])
	}
	return recordbatch.AppendBatch(nil, recordbatch.Fields{
		BaseOffset: base, Attributes: attrs, LastOffsetDelta: int32(len(recs) - 1), BaseTimestamp: ts,
		MaxTimestamp: ts, ProducerID: -1, ProducerEpoch: -1, BaseSequence: -1, RecordCount: int32(len(recs)),
	}, payload)
}

func kv(k, v string) kmsg.Record {
	r := kmsg.Record{Value: []byte(v)}
	if k != "" {
		r.Key = []byte(k)
	}
	return r
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func runDump(t *testing.T, args func(*flags), files ...string) (string, string, error) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	fl := &flags{files: files, maxMessageSize: 5 << 20, maxBytes: math.MaxInt32}
	if args != nil {
		args(fl)
	}
	p, err := fl.parser()
	if err != nil {
		t.Fatal(err)
	}
	opts := &Options{IO: ios, Output: output.Table, Files: files, PrintDataLog: fl.printData, DeepIteration: fl.deep || fl.printData,
		VerifyIndexOnly: fl.verify, IndexSanityCheck: fl.sanity, MaxMessageSize: fl.maxMessageSize, MaxBytes: fl.maxBytes, Parser: p}
	err = run(opts)
	return out.String(), errOut.String(), err
}

func TestDumpLogSegment(t *testing.T) {
	dir := t.TempDir()
	seg := append(batch(0, 0, 1000, kv("k1", "v1"), kv("", "v2")), batch(2, recordbatch.AttrLogAppendTime, 2000, kv("k3", ""))...)
	log := writeFile(t, dir, "00000000000000000000.log", append(seg, 1, 2, 3))
	out, errOut, err := runDump(t, func(f *flags) { f.printData = true }, log)
	if err != nil {
		t.Fatal(err, errOut)
	}
	want := []string{
		"Dumping " + log,
		"Log starting offset: 0",
		"baseOffset: 0 lastOffset: 1 count: 2 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: 1000 size: ",
		"| offset: 0 CreateTime: 1000 keySize: 2 valueSize: 2 sequence: -1 headerKeys: [] key: k1 payload: v1",
		"| offset: 1 CreateTime: 1000 keySize: -1 valueSize: 2 sequence: -1 headerKeys: [] payload: v2",
		"baseOffset: 2 lastOffset: 2 count: 1",
		"| offset: 2 LogAppendTime: 2000 keySize: 2 valueSize: 0 sequence: -1 headerKeys: [] key: k3 payload: ",
		"Found 3 invalid bytes at the end of 00000000000000000000.log",
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d lines:\n%s", len(lines), out)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d:\n got %q\nwant %q", i, lines[i], w)
		}
	}
	if !strings.Contains(lines[2], "magic: 2 compresscodec: none crc: ") || !strings.HasSuffix(lines[2], "isvalid: true") {
		t.Errorf("batch line %q", lines[2])
	}
}

func TestDumpIndexes(t *testing.T) {
	dir := t.TempDir()
	b0 := batch(10, 0, 1000, kv("a", "1"), kv("b", "2"))
	b1 := batch(12, 0, 3000, kv("c", "3"))
	writeFile(t, dir, "00000000000000000010.log", append(b0, b1...))
	idx := make([]byte, 16)
	binary.BigEndian.PutUint32(idx[0:], 1)                // offset 11, the end of batch 0
	binary.BigEndian.PutUint32(idx[8:], 2)                // offset 12 ...
	binary.BigEndian.PutUint32(idx[12:], uint32(len(b0))) // ... at batch 1
	ix := writeFile(t, dir, "00000000000000000010.index", idx)
	tidx := make([]byte, 24)
	binary.BigEndian.PutUint64(tidx[0:], 1000)
	binary.BigEndian.PutUint32(tidx[8:], 1)
	binary.BigEndian.PutUint64(tidx[12:], 2999) // the log says 3000
	binary.BigEndian.PutUint32(tidx[20:], 2)
	tix := writeFile(t, dir, "00000000000000000010.timeindex", tidx)

	tests := []struct {
		name    string
		args    func(*flags)
		wantOut []string
		wantErr string
	}{
		{"print", nil, []string{"offset: 11 position: 0", "offset: 12 position: " + strconv.Itoa(len(b0)),
			"timestamp: 1000 offset: 11", "timestamp: 2999 offset: 12"},
			"Found timestamp mismatch in :" + tix + "\n  Index timestamp: 2999, log timestamp: 3000\n"},
		{"verify", func(f *flags) { f.verify = true }, nil, "Index timestamp: 2999, log timestamp: 3000"},
		{"sanity", func(f *flags) { f.sanity = true }, []string{ix + " passed sanity check.", tix + " passed sanity check."}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, err := runDump(t, tt.args, ix, tix)
			if err != nil {
				t.Fatal(err, errOut)
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(out, w+"\n") {
					t.Errorf("missing %q in:\n%s", w, out)
				}
			}
			if tt.args != nil && strings.Contains(out, "offset: 11 position") {
				t.Errorf("entries printed:\n%s", out)
			}
			if !strings.Contains(errOut, tt.wantErr) || tt.wantErr == "" && errOut != "" {
				t.Errorf("stderr %q, want %q", errOut, tt.wantErr)
			}
		})
	}
}

func TestIndexMismatch(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "00000000000000000000.log", batch(0, 0, 1, kv("a", "1"), kv("b", "2")))
	idx := make([]byte, 8) // offset 0 at position 0, but the batch there ends at 1
	ix := writeFile(t, dir, "00000000000000000000.index", append(idx, make([]byte, 16)...))
	out, errOut, err := runDump(t, nil, ix)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Dumping " + ix + "\noffset: 0 position: 0\n"; out != want {
		t.Errorf("stdout %q, want %q (zero tail skipped)", out, want)
	}
	if want := "Mismatches in :" + ix + "\n  Index offset: 0, log offset: 1\n"; errOut != want {
		t.Errorf("stderr %q, want %q", errOut, want)
	}
}

func TestProducerSnapshotAndTxnIndex(t *testing.T) {
	dir := t.TempDir()
	snap := make([]byte, 10+46)
	binary.BigEndian.PutUint16(snap, 1)
	binary.BigEndian.PutUint32(snap[6:], 1)
	e := snap[10:]
	binary.BigEndian.PutUint64(e, 7)                   // producer id
	binary.BigEndian.PutUint16(e[8:], 2)               // epoch
	binary.BigEndian.PutUint32(e[10:], 9)              // last sequence
	binary.BigEndian.PutUint64(e[14:], 40)             // last offset
	binary.BigEndian.PutUint32(e[22:], 4)              // offset delta
	binary.BigEndian.PutUint64(e[26:], 555)            // timestamp
	binary.BigEndian.PutUint32(e[34:], math.MaxUint32) // coordinator epoch -1
	binary.BigEndian.PutUint64(e[38:], 36)             // ongoing transaction from 36
	binary.BigEndian.PutUint32(snap[2:], crc32.Checksum(snap[6:], crc32.MakeTable(crc32.Castagnoli)))
	sp := writeFile(t, dir, "00000000000000000041.snapshot", snap)
	txn := make([]byte, 34)
	binary.BigEndian.PutUint64(txn[2:], 7)
	binary.BigEndian.PutUint64(txn[10:], 36)
	binary.BigEndian.PutUint64(txn[18:], 41)
	binary.BigEndian.PutUint64(txn[26:], 36)
	tp := writeFile(t, dir, "00000000000000000000.txnindex", txn)
	out, errOut, err := runDump(t, nil, sp, tp)
	if err != nil {
		t.Fatal(err, errOut)
	}
	want := "Dumping " + sp + "\n" +
		"producerId: 7 producerEpoch: 2 coordinatorEpoch: -1 currentTxnFirstOffset: OptionalLong[36] lastTimestamp: 555 firstSequence: 5 lastSequence: 9 lastOffset: 40 offsetDelta: 4 timestamp: 555\n" +
		"Dumping " + tp + "\n" +
		"version: 0 producerId: 7 firstOffset: 36 lastOffset: 41 lastStableOffset: 36\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	snap[20]++ // corrupt: the CRC no longer matches
	writeFile(t, dir, "00000000000000000041.snapshot", snap)
	_, errOut, err = runDump(t, nil, sp)
	if err != nil || !strings.HasPrefix(errOut, "Snapshot is corrupt (CRC is no longer valid). Stored crc: ") {
		t.Errorf("corrupt snapshot: %v %q", err, errOut)
	}
}

func TestOffsetsAndTxnDecoders(t *testing.T) {
	ock := kmsg.OffsetCommitKey{Version: 1, Group: "g", Topic: "t", Partition: 3}
	ocv := kmsg.NewOffsetCommitValue()
	ocv.Version, ocv.Offset, ocv.Metadata, ocv.CommitTimestamp = 3, 42, "m", 99
	gmk := kmsg.GroupMetadataKey{Version: 2, Group: "g"}
	txk := kmsg.TxnMetadataKey{Version: 0, TransactionalID: "tx"}
	txv := kmsg.NewTxnMetadataValue()
	txv.ProducerID, txv.ProducerEpoch, txv.State, txv.TimeoutMillis, txv.LastUpdateTimestamp = 5, 1, 1, 60000, 77
	txv.Topics = []kmsg.TxnMetadataValueTopic{{Topic: "t", Partitions: []int32{0, 2}}}
	tests := []struct {
		name       string
		p          parser
		key, value []byte
		wantK      string
		wantV      string
	}{
		{"offset commit", offsetsParser, ock.AppendTo(nil), ocv.AppendTo(nil),
			`{"type":"1","data":{"group":"g","topic":"t","partition":3}}`,
			`{"version":"3","data":{"offset":42,"leaderEpoch":0,"metadata":"m","commitTimestamp":99}}`},
		{"group tombstone", offsetsParser, gmk.AppendTo(nil), nil, `{"type":"2","data":{"group":"g"}}`, "<DELETE>"},
		{"unknown type", offsetsParser, []byte{0, 9, 1}, nil, "Unknown record type 9 at offset 4, skipping.", ""},
		{"txn", txnParser, txk.AppendTo(nil), txv.AppendTo(nil), "transaction_metadata::transactionalId=tx",
			"producerId:5,producerEpoch:1,state=Ongoing,partitions=[t-0,t-2],txnLastUpdateTimestamp=77,txnTimeoutMs=60000"},
		{"txn tombstone", txnParser, txk.AppendTo(nil), nil, "transaction_metadata::transactionalId=tx", "<DELETE>"},
		{"txn key version", txnParser, []byte{0, 1, 0, 0}, nil, "unknown::version=1", ""},
		{"garbage", offsetsParser, []byte{0, 1, 0xff}, []byte{1}, "Error at offset 4, skipping. ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, v := tt.p(4, tt.key, tt.value)
			if k == nil || !strings.HasPrefix(*k, tt.wantK) {
				t.Errorf("key %v, want %q", deref(k), tt.wantK)
			}
			if deref(v) != tt.wantV {
				t.Errorf("value %q, want %q", deref(v), tt.wantV)
			}
		})
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func TestStructuredDumpCarriesProblems(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "00000000000000000000.log", batch(0, 0, 1, kv("a", "1"), kv("b", "2")))
	ix := writeFile(t, dir, "00000000000000000000.index", make([]byte, 8))
	ios, _, out, errOut := iostreams.Test()
	fl := &flags{files: []string{ix}, maxMessageSize: 5 << 20, maxBytes: math.MaxInt32}
	p, _ := fl.parser()
	opts := &Options{IO: ios, Output: output.JSON, Files: fl.files, MaxMessageSize: fl.maxMessageSize, MaxBytes: fl.maxBytes, Parser: p}
	if err := run(opts); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"problems": [`+"\n"+`      "Index offset: 0, log offset: 1"`) || !strings.Contains(errOut.String(), "Mismatches in :") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", out, errOut)
	}
}
