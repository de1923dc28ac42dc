package replication

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// txnLog is a partition's log read from disk with its transactions
// resolved by their markers: which records are committed, which aborted.
type txnLog struct {
	committed   []record   // non-transactional or of a committed transaction, in offset order
	aborted     []record   // of aborted transactions
	open        []record   // of transactions without a marker (yet)
	aborts      []abortTxn // one per abort marker ending records, as the .txnindex records it
	emptyAborts []abortTxn // abort markers of transactions that wrote nothing here
	commits     int        // commit markers
}

// abortTxn is an aborted transaction of one partition: its producer, its
// first offset and its marker's offset.
type abortTxn struct {
	producerID  int64
	first, last int64
}

// resolveTxns walks a replica's batches in offset order, holding each
// producer's transactional records until its marker.
func resolveTxns(t *testing.T, r replicaLog, below int64) txnLog {
	t.Helper()
	var out txnLog
	type pending struct {
		first int64
		recs  []record
	}
	open := map[int64]*pending{}
	for _, b := range splitBatches(r.batches) {
		if b.next > below {
			break
		}
		var rb kmsg.RecordBatch
		if err := rb.ReadFrom(b.raw); err != nil {
			t.Fatal(err)
		}
		transactional, control := rb.Attributes&0x10 != 0, rb.Attributes&0x20 != 0
		switch {
		case control:
			commit, err := markerType(rb)
			if err != nil {
				t.Fatalf("broker %d: control batch at %d: %v", r.broker, rb.FirstOffset, err)
			}
			p := open[rb.ProducerID]
			delete(open, rb.ProducerID)
			if commit {
				out.commits++
				if p != nil {
					out.committed = append(out.committed, p.recs...)
				}
				continue
			}
			if p == nil {
				// A partition added to the transaction that got no record:
				// Kafka indexes only non-empty transactions.
				out.emptyAborts = append(out.emptyAborts, abortTxn{producerID: rb.ProducerID, first: rb.FirstOffset, last: rb.FirstOffset})
				continue
			}
			out.aborted = append(out.aborted, p.recs...)
			out.aborts = append(out.aborts, abortTxn{producerID: rb.ProducerID, first: p.first, last: rb.FirstOffset})
		case transactional:
			recs, err := decodeRecords(rb)
			if err != nil {
				t.Fatalf("broker %d batch at %d: %v", r.broker, rb.FirstOffset, err)
			}
			p := open[rb.ProducerID]
			if p == nil {
				p = &pending{first: rb.FirstOffset}
				open[rb.ProducerID] = p
			}
			p.recs = append(p.recs, recs...)
		default:
			recs, err := decodeRecords(rb)
			if err != nil {
				t.Fatalf("broker %d batch at %d: %v", r.broker, rb.FirstOffset, err)
			}
			out.committed = append(out.committed, recs...)
		}
	}
	for _, p := range open {
		out.open = append(out.open, p.recs...)
	}
	slices.SortFunc(out.committed, func(a, b record) int { return int(a.offset - b.offset) })
	return out
}

// markerType decodes a control batch's one record: true for COMMIT.
func markerType(rb kmsg.RecordBatch) (bool, error) {
	var rec kmsg.Record
	if _, err := readRecord(rb.Records, &rec); err != nil {
		return false, err
	}
	if len(rec.Key) < 4 {
		return false, fmt.Errorf("control record key of %d bytes", len(rec.Key))
	}
	switch typ := int16(binary.BigEndian.Uint16(rec.Key[2:4])); typ {
	case 0:
		return false, nil
	case 1:
		return true, nil
	default:
		return false, fmt.Errorf("control record type %d", typ)
	}
}

// txnIndexEntry is one entry of a .txnindex file (Kafka's AbortedTxn:
// version int16, producer id, first offset, last offset, last stable
// offset, 34 bytes big-endian).
type txnIndexEntry struct {
	producerID, first, last, lastStable int64
}

// readTxnIndex reads every .txnindex file of a partition in a broker's log
// dir, in segment order, and returns the entries whose last offset is
// below the bound. A segment without aborted transactions may have no file.
func readTxnIndex(t *testing.T, dataDir, topic string, p int32, below int64) []txnIndexEntry {
	t.Helper()
	dir := filepath.Join(dataDir, "logs", fmt.Sprintf("%s-%d", topic, p))
	files, err := filepath.Glob(filepath.Join(dir, "*.txnindex"))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files) // zero-padded base offsets
	var out []txnIndexEntry
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(data)%34 != 0 {
			t.Errorf("%s: %d bytes, not a whole number of 34-byte entries", f, len(data))
		}
		for ; len(data) >= 34; data = data[34:] {
			if v := binary.BigEndian.Uint16(data); v != 0 {
				t.Errorf("%s: entry version %d", f, v)
			}
			e := txnIndexEntry{
				producerID: int64(binary.BigEndian.Uint64(data[2:])), first: int64(binary.BigEndian.Uint64(data[10:])),
				last: int64(binary.BigEndian.Uint64(data[18:])), lastStable: int64(binary.BigEndian.Uint64(data[26:])),
			}
			if e.last < below {
				out = append(out, e)
			}
		}
	}
	return out
}

// checkTxnIndexesAgree: every replica's .txnindex entries below the high
// watermark are the same, and they are the aborted transactions the log's
// markers say (producer, first offset, marker offset).
//
// Kafka's ProducerAppendInfo.appendEndTxnMarker emits a CompletedTxn, and
// so an index entry, only for a transaction with data in the partition
// ("Only emit the CompletedTxn for non-empty transactions"): an abort
// marker of a transaction that wrote nothing here has no entry.
func checkTxnIndexesAgree(t *testing.T, c *cluster, topic string, p int32, hw int64, aborts, emptyAborts []abortTxn) {
	t.Helper()
	var want []txnIndexEntry
	for id := int32(1); id <= int32(len(c.brokers)); id++ {
		got := readTxnIndex(t, c.brokers[id].DataDir, topic, p, hw)
		if id == 1 {
			want = got
			var fromLog []string
			for _, a := range aborts {
				fromLog = append(fromLog, fmt.Sprintf("%d:%d-%d", a.producerID, a.first, a.last))
			}
			var fromIndex []string
			for _, e := range got {
				fromIndex = append(fromIndex, fmt.Sprintf("%d:%d-%d", e.producerID, e.first, e.last))
			}
			if !slices.Equal(fromIndex, fromLog) {
				var empty []string
				for _, a := range emptyAborts {
					empty = append(empty, fmt.Sprintf("%d:%d", a.producerID, a.last))
				}
				t.Errorf("%s-%d: broker 1's .txnindex holds %d aborted transactions %s\nthe log's abort markers of non-empty transactions say %d: %s\n(abort markers of transactions without data here, which Kafka does not index: %s)",
					topic, p, len(fromIndex), short(fromIndex), len(fromLog), short(fromLog), short(empty))
			}
			continue
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s-%d: broker %d's .txnindex (%d entries below %d) differs from broker 1's (%d entries)", topic, p, id, len(got), hw, len(want))
		}
	}
}

func short(s []string) string {
	if len(s) > 10 {
		return strings.Join(s[:10], " ") + " ..."
	}
	return strings.Join(s, " ")
}
