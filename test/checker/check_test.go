package checker

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func ack(v string, part int32, off int64) Send {
	return Send{Value: v, Partition: part, Offset: off, At: t0.Add(time.Duration(off) * time.Millisecond)}
}

func ackTxn(v string, part int32, off int64, txn int) Send {
	s := ack(v, part, off)
	s.Txn = txn
	return s
}

func failed(v string, part int32) Send {
	return Send{Value: v, Partition: part, Err: errors.New("request timed out"), At: t0}
}

func poll(consumer string, part int32, off int64, v string) Poll {
	return Poll{Consumer: consumer, Partition: part, Offset: off, Value: v}
}

// reads returns a consumer's polls of values at consecutive offsets of
// one partition, from offset 0.
func reads(consumer string, part int32, values ...string) []Poll {
	var out []Poll
	for i, v := range values {
		out = append(out, poll(consumer, part, int64(i), v))
	}
	return out
}

func join(ps ...[]Poll) []Poll {
	var out []Poll
	for _, p := range ps {
		out = append(out, p...)
	}
	return out
}

// counts is what a test expects of a Result, anomaly class by class.
type counts struct {
	lost, dup, incons, reord, nonmono, skipped, aborted, ww, g1c int
}

func countsOf(r Result) counts {
	return counts{len(r.Lost), len(r.Duplicates), len(r.Inconsistent), len(r.Reordered), len(r.NonMonotonic), len(r.Skipped), len(r.AbortedReads), len(r.WriteCycles), len(r.G1c)}
}

func TestCheck(t *testing.T) {
	abc := []Send{ack("a", 0, 0), ack("b", 0, 1), ack("c", 0, 2)}
	tests := []struct {
		name    string
		h       History
		want    counts
		wantErr string // a substring of Err; "" = no anomaly
	}{
		{
			name: "clean history",
			h:    History{Sends: abc, Polls: join(reads("live", 0, "a", "b"), reads("final", 0, "a", "b", "c")), Final: []string{"final"}},
		},
		{
			name:    "acknowledged write never read after the faults",
			h:       History{Sends: abc, Polls: reads("final", 0, "a", "b"), Final: []string{"final"}},
			want:    counts{lost: 1},
			wantErr: "1 acknowledged writes lost",
		},
		{
			// Kafka 0.8: a leader acknowledged c, a consumer read it, then
			// an unclean election truncated it away and d took its offset.
			name: "read during the faults, truncated after",
			h: History{Sends: append(abc, ack("d", 0, 2)),
				Polls: join(reads("live", 0, "a", "b", "c"), reads("final", 0, "a", "b", "d")), Final: []string{"final"}},
			want:    counts{lost: 1, incons: 1},
			wantErr: "acknowledged writes lost",
		},
		{
			name: "a failed send is indeterminate, not lost",
			h:    History{Sends: append(abc, failed("x", 0)), Polls: reads("final", 0, "a", "b", "c"), Final: []string{"final"}},
		},
		{
			name: "duplicate from a plain producer is reported, not an error",
			h:    History{Sends: abc, Polls: reads("final", 0, "a", "b", "c", "c"), Final: []string{"final"}},
			want: counts{dup: 1},
		},
		{
			name:    "duplicate from an idempotent producer",
			h:       History{Sends: abc, Polls: reads("final", 0, "a", "b", "c", "c"), Final: []string{"final"}, Idempotent: true},
			want:    counts{dup: 1},
			wantErr: "duplicates from an idempotent producer",
		},
		{
			// Redpanda 21.10: two consumers saw different records at one offset.
			name: "two values at one offset across consumers",
			h: History{Sends: abc[:2], Polls: join(reads("c1", 0, "a", "b"), reads("c2", 0, "a", "z"), reads("final", 0, "a", "b")),
				Final: []string{"final"}},
			want:    counts{incons: 1},
			wantErr: "offsets with two values",
		},
		{
			name: "acknowledged in one partition, read only in another",
			h: History{Sends: abc, Polls: join(reads("final", 0, "a", "b"), []Poll{poll("final", 1, 0, "c")}),
				Final: []string{"final"}},
			want:    counts{lost: 1, dup: 1},
			wantErr: "1 acknowledged writes lost",
		},
		{
			// b was sent and acknowledged after a, but written before it.
			name: "one producer's writes out of their order",
			h: History{Sends: []Send{ack("a", 0, 1), ack("b", 0, 0), ack("c", 0, 2)}, Polls: reads("final", 0, "b", "a", "c"),
				Final: []string{"final"}, Ordered: true},
			want:    counts{reord: 1},
			wantErr: "1 acknowledged writes out of their order",
		},
		{
			name: "writes out of order from several producers are reported, not an error",
			h: History{Sends: []Send{ack("a", 0, 1), ack("b", 0, 0)}, Polls: reads("final", 0, "b", "a"),
				Final: []string{"final"}},
			want: counts{reord: 1},
		},
		{
			name: "order is per partition",
			h: History{Sends: []Send{ack("a", 0, 0), ack("x", 1, 5), ack("b", 0, 1), ack("y", 1, 6)},
				Polls: join(reads("final", 0, "a", "b"), []Poll{poll("final", 1, 5, "x"), poll("final", 1, 6, "y")}),
				Final: []string{"final"}, Ordered: true},
		},
		{
			name:    "acknowledged offset differs from the offset read",
			h:       History{Sends: []Send{ack("a", 0, 0), ack("b", 0, 5)}, Polls: reads("final", 0, "a", "b"), Final: []string{"final"}},
			want:    counts{dup: 1},
			wantErr: "",
		},
		{
			name: "consumer goes backwards without a seek",
			h: History{Sends: abc, Polls: join(reads("c1", 0, "a", "b", "c"), []Poll{poll("c1", 0, 1, "b")}, reads("final", 0, "a", "b", "c")),
				Final: []string{"final"}},
			want:    counts{nonmono: 1},
			wantErr: "non-monotonic reads",
		},
		{
			name: "consumer rereads after a seek",
			h: History{Sends: abc, Polls: join(reads("c1", 0, "a", "b", "c"), []Poll{{Consumer: "c1", Partition: 0, Offset: 0, Value: "a", Seek: true}},
				reads("final", 0, "a", "b", "c")), Final: []string{"final"}},
		},
		{
			name: "another partition does not count as going backwards",
			h: History{Sends: append(abc, ack("x", 1, 0)), Polls: join(reads("c1", 0, "a", "b", "c"), reads("c1", 1, "x"),
				reads("final", 0, "a", "b", "c"), reads("final", 1, "x")), Final: []string{"final"}},
		},
		{
			name: "consumer skips a record others read",
			h: History{Sends: abc, Polls: join([]Poll{poll("c1", 0, 0, "a"), poll("c1", 0, 2, "c")}, reads("final", 0, "a", "b", "c")),
				Final: []string{"final"}},
			want:    counts{skipped: 1},
			wantErr: "skipped reads",
		},
		{
			name: "a gap where a control record sits is no skip",
			h: History{Sends: []Send{ack("a", 0, 0), ack("c", 0, 2)},
				Polls: []Poll{poll("c1", 0, 0, "a"), poll("c1", 0, 2, "c"), poll("final", 0, 0, "a"), poll("final", 0, 2, "c")}, Final: []string{"final"}},
		},
		{
			name: "read_committed consumer skips an aborted record",
			h: History{Sends: []Send{ack("a", 0, 0), ackTxn("t", 0, 1, 1), ack("c", 0, 2)}, Txns: map[int]Outcome{1: Aborted},
				Polls: []Poll{poll("rc", 0, 0, "a"), poll("rc", 0, 2, "c"), poll("ru", 0, 0, "a"), poll("ru", 0, 1, "t"), poll("ru", 0, 2, "c")},
				Final: []string{"rc"}, ReadCommitted: []string{"rc"}},
		},
		{
			name: "read_uncommitted consumer skips an aborted record",
			h: History{Sends: []Send{ack("a", 0, 0), ackTxn("t", 0, 1, 1), ack("c", 0, 2)}, Txns: map[int]Outcome{1: Aborted},
				Polls: []Poll{poll("ru", 0, 0, "a"), poll("ru", 0, 2, "c")}, Final: []string{"ru"}},
			want:    counts{skipped: 1},
			wantErr: "skipped reads",
		},
		{
			name: "read_committed consumer returns an aborted record",
			h: History{Sends: []Send{ack("a", 0, 0), ackTxn("t", 0, 1, 1)}, Txns: map[int]Outcome{1: Aborted},
				Polls: reads("rc", 0, "a", "t"), Final: []string{"rc"}, ReadCommitted: []string{"rc"}},
			want:    counts{aborted: 1},
			wantErr: "aborted reads",
		},
		{
			name: "read_uncommitted consumer may return an aborted record",
			h: History{Sends: []Send{ack("a", 0, 0), ackTxn("t", 0, 1, 1)}, Txns: map[int]Outcome{1: Aborted},
				Polls: reads("ru", 0, "a", "t"), Final: []string{"ru"}},
		},
		{
			name: "committed transaction's write lost",
			h: History{Sends: []Send{ack("a", 0, 0), ackTxn("t", 0, 1, 1)}, Txns: map[int]Outcome{1: Committed},
				Polls: reads("rc", 0, "a"), Final: []string{"rc"}, ReadCommitted: []string{"rc"}},
			want:    counts{lost: 1},
			wantErr: "acknowledged writes lost",
		},
		{
			name: "aborted or unknown transaction's write not read is no loss",
			h: History{Sends: []Send{ack("a", 0, 0), ackTxn("t", 0, 1, 1), ackTxn("u", 0, 2, 2)}, Txns: map[int]Outcome{1: Aborted},
				Polls: reads("rc", 0, "a"), Final: []string{"rc"}, ReadCommitted: []string{"rc"}},
		},
		{
			// T1 precedes T2 in partition 0's log, T2 precedes T1 in
			// partition 1's: a write cycle, which Kafka's transactions allow.
			name: "write cycle (G0) is counted, not an error",
			h: History{Sends: []Send{ackTxn("x1", 0, 0, 1), ackTxn("y2", 0, 1, 2), ackTxn("x2", 1, 0, 2), ackTxn("y1", 1, 1, 1)},
				Txns:  map[int]Outcome{1: Committed, 2: Committed},
				Polls: join(reads("rc", 0, "x1", "y2"), reads("rc", 1, "x2", "y1")), Final: []string{"rc"}, ReadCommitted: []string{"rc"}},
			want: counts{ww: 1},
		},
		{
			// T1 precedes T2 in the log (ww), and T1 consumed what T2 wrote
			// (wr): concurrent transactions may interleave so in Kafka.
			name: "cycle through a write and a read is counted, not an error",
			h: History{Sends: []Send{ackTxn("x1", 0, 0, 1), ackTxn("y2", 0, 1, 2)},
				Txns:  map[int]Outcome{1: Committed, 2: Committed},
				Polls: append(reads("rc", 0, "x1", "y2"), Poll{Consumer: "worker", Partition: 0, Offset: 1, Value: "y2", Txn: 1}),
				Final: []string{"rc"}, ReadCommitted: []string{"rc", "worker"}},
			want: counts{ww: 1},
		},
		{
			// T1 consumed what T2 wrote and T2 consumed what T1 wrote: one of
			// them read before the other committed.
			name: "G1c through two reads",
			h: History{Sends: []Send{ackTxn("a1", 0, 0, 1), ackTxn("b2", 1, 0, 2)},
				Txns: map[int]Outcome{1: Committed, 2: Committed},
				Polls: join(reads("rc", 0, "a1"), reads("rc", 1, "b2"), []Poll{
					{Consumer: "w1", Partition: 1, Offset: 0, Value: "b2", Txn: 1},
					{Consumer: "w2", Partition: 0, Offset: 0, Value: "a1", Txn: 2}}),
				Final: []string{"rc"}, ReadCommitted: []string{"rc", "w1", "w2"}},
			want:    counts{g1c: 1},
			wantErr: "G1c cycles",
		},
		{
			name: "G1c through three reads, with a write cycle beside it",
			h: History{Sends: []Send{ackTxn("a1", 0, 0, 1), ackTxn("b2", 1, 0, 2), ackTxn("c3", 2, 0, 3), ackTxn("d4", 2, 1, 4), ackTxn("e5", 0, 1, 5),
				ackTxn("f4", 0, 2, 4), ackTxn("g5", 2, 2, 5)},
				Txns: map[int]Outcome{1: Committed, 2: Committed, 3: Committed, 4: Committed, 5: Committed},
				Polls: join(reads("rc", 0, "a1", "e5", "f4"), reads("rc", 1, "b2"), reads("rc", 2, "c3", "d4", "g5"), []Poll{
					{Consumer: "w", Partition: 0, Offset: 0, Value: "a1", Txn: 2},
					{Consumer: "w", Partition: 1, Offset: 0, Value: "b2", Txn: 3},
					{Consumer: "w", Partition: 2, Offset: 0, Value: "c3", Txn: 1}}),
				Final: []string{"rc"}, ReadCommitted: []string{"rc", "w"}},
			want:    counts{ww: 1, g1c: 1},
			wantErr: "G1c cycles",
		},
		{
			name: "an aborted transaction closes no cycle",
			h: History{Sends: []Send{ackTxn("x1", 0, 0, 1), ackTxn("y2", 0, 1, 2)},
				Txns:  map[int]Outcome{1: Committed, 2: Aborted},
				Polls: append(reads("ru", 0, "x1", "y2"), Poll{Consumer: "worker", Partition: 0, Offset: 1, Value: "y2", Txn: 1}),
				Final: []string{"ru"}},
		},
		{
			name: "transactions in one order everywhere: no cycle",
			h: History{Sends: []Send{ackTxn("x1", 0, 0, 1), ackTxn("y2", 0, 1, 2), ackTxn("x1b", 1, 0, 1), ackTxn("y2b", 1, 1, 2)},
				Txns: map[int]Outcome{1: Committed, 2: Committed},
				Polls: join(reads("rc", 0, "x1", "y2"), reads("rc", 1, "x1b", "y2b"),
					[]Poll{{Consumer: "worker", Partition: 0, Offset: 0, Value: "x1", Txn: 2}}),
				Final: []string{"rc"}, ReadCommitted: []string{"rc", "worker"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Check(tt.h)
			if got := countsOf(r); got != tt.want {
				t.Errorf("counts %+v, want %+v\n%s", got, tt.want, r.Table(tt.name))
			}
			err := r.Err()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("unexpected anomalies: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestUnavailable(t *testing.T) {
	h := History{Sends: []Send{
		{Value: "a", Partition: 0, At: t0},
		{Value: "b", Partition: 1, At: t0.Add(time.Second)},
		{Value: "c", Partition: 0, At: t0.Add(3 * time.Second)},
		{Value: "x", Partition: 0, At: t0.Add(9 * time.Second), Err: errors.New("failed")},
		{Value: "d", Partition: 1, At: t0.Add(2 * time.Second)},
	}}
	r := Check(h)
	if r.Unavailable != 3*time.Second || r.UnavailablePartition != 0 {
		t.Errorf("longest unavailability %v on partition %d, want 3s on 0", r.Unavailable, r.UnavailablePartition)
	}
	if r.Acked != 4 || r.Failed != 1 {
		t.Errorf("acked %d failed %d, want 4 and 1", r.Acked, r.Failed)
	}
}

func TestUnavailableBetween(t *testing.T) {
	sec := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Second) }
	h := History{Sends: []Send{
		{Value: "a", Partition: 0, At: sec(1)},
		{Value: "b", Partition: 0, At: sec(2)},
		{Value: "c", Partition: 0, At: sec(7)},
		{Value: "d", Partition: 1, At: sec(4)},
		{Value: "e", Partition: 0, At: sec(5), Err: errors.New("failed")},
	}}
	tests := []struct {
		name      string
		partition int32
		from, to  time.Time
		want      time.Duration
	}{
		{"gap between two acknowledgements", 0, sec(0), sec(8), 5 * time.Second},
		{"window starting inside the gap", 0, sec(3), sec(8), 4 * time.Second},
		{"nothing acknowledged in the window", 0, sec(3), sec(6), 3 * time.Second},
		{"to the window's end", 1, sec(0), sec(10), 6 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := UnavailableBetween(h, tt.partition, tt.from, tt.to); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
