package messages

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/kqhq/kq/admin"
)

var base = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

func rec(p int32, off int64, secs int, value string) admin.Record {
	return admin.Record{Topic: "t", Partition: p, Offset: off, Timestamp: base.Add(time.Duration(secs) * time.Second),
		Value: []byte(value)}
}

func all(*admin.Record) bool { return true }

// order lists the buffer as p@offset.
func order(b *buffer) string {
	var s bytes.Buffer
	for i := range b.Len() {
		r := b.At(i).rec
		fmt.Fprintf(&s, "%d@%d ", r.Partition, r.Offset)
	}
	return s.String()
}

func TestBufferMergesByTimestamp(t *testing.T) {
	tests := []struct {
		name        string
		batches     [][]admin.Record
		want        string
		wantChanged int
	}{
		{"appends", [][]admin.Record{{rec(0, 0, 1, ""), rec(0, 1, 2, "")}, {rec(1, 0, 3, "")}}, "0@0 0@1 1@0 ", 2},
		{"a lagging partition merges in", [][]admin.Record{{rec(0, 0, 1, ""), rec(0, 1, 5, "")}, {rec(1, 0, 2, ""), rec(1, 1, 6, "")}},
			"0@0 1@0 0@1 1@1 ", 1},
		{"a batch out of order", [][]admin.Record{{rec(1, 0, 3, ""), rec(0, 0, 1, ""), rec(2, 0, 2, "")}}, "0@0 2@0 1@0 ", 0},
		{"equal times by partition then offset", [][]admin.Record{{rec(2, 0, 1, ""), rec(1, 1, 1, ""), rec(1, 0, 1, "")}},
			"1@0 1@1 2@0 ", 0},
		{"older than everything", [][]admin.Record{{rec(0, 5, 9, "")}, {rec(1, 0, 1, "")}}, "1@0 0@5 ", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBuffer(Limits{}, true)
			changed := 0
			for _, batch := range tt.batches {
				changed, _ = b.Insert(batch, all)
			}
			if got := order(b); got != tt.want {
				t.Fatalf("order %q, want %q", got, tt.want)
			}
			if changed != tt.wantChanged {
				t.Fatalf("last insert changed from %d, want %d", changed, tt.wantChanged)
			}
		})
	}
}

func TestBufferOnePartitionKeepsOffsetOrder(t *testing.T) {
	b := newBuffer(Limits{}, false)
	// Producer timestamps need not grow; one partition is shown as its log.
	b.Insert([]admin.Record{rec(0, 0, 9, ""), rec(0, 1, 1, ""), rec(0, 2, 5, "")}, all)
	if got := order(b); got != "0@0 0@1 0@2 " {
		t.Fatalf("order %q", got)
	}
}

func TestBufferBounds(t *testing.T) {
	tests := []struct {
		name        string
		limits      Limits
		n, size     int
		wantLen     int
		wantDropped int
	}{
		{"records", Limits{Records: 10}, 25, 10, 10, 15},
		{"bytes", Limits{Bytes: 10 * (recordOverhead + 1 + 100)}, 25, 100, 10, 15},
		{"a record larger than the bound is kept alone", Limits{Bytes: 50}, 3, 1000, 1, 2},
		{"under both", Limits{Records: 100}, 25, 10, 25, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBuffer(tt.limits, false)
			var recs []admin.Record
			for i := range tt.n {
				recs = append(recs, rec(0, int64(i), i, string(bytes.Repeat([]byte("x"), tt.size))))
			}
			_, dropped := b.Insert(recs, all)
			if b.Len() != tt.wantLen || dropped != tt.wantDropped {
				t.Fatalf("len %d dropped %d, want %d and %d", b.Len(), dropped, tt.wantLen, tt.wantDropped)
			}
			if last := b.At(b.Len() - 1).rec.Offset; last != int64(tt.n-1) {
				t.Fatalf("newest kept is %d, want %d", last, tt.n-1)
			}
			if b.Len() > 1 && b.Bytes() > b.limits.Bytes {
				t.Fatalf("%d bytes over the bound %d", b.Bytes(), b.limits.Bytes)
			}
		})
	}
}

func TestBufferStaysBoundedOverManyInserts(t *testing.T) {
	b := newBuffer(Limits{Records: 100}, false)
	for i := range 10_000 {
		b.Insert([]admin.Record{rec(0, int64(i), i, "v")}, all)
	}
	if b.Len() != 100 || cap(b.items) > 400 {
		t.Fatalf("len %d cap %d: the slice grew beyond the bound", b.Len(), cap(b.items))
	}
	if b.At(0).rec.Offset != 9900 {
		t.Fatalf("oldest kept %d", b.At(0).rec.Offset)
	}
}

func TestBufferRoom(t *testing.T) {
	b := newBuffer(Limits{Records: 5}, false)
	b.Insert([]admin.Record{rec(0, 0, 0, ""), rec(0, 1, 1, "")}, all)
	recs := []admin.Record{rec(0, 2, 2, ""), rec(0, 3, 3, ""), rec(0, 4, 4, ""), rec(0, 5, 5, "")}
	if got := b.Room(recs); got != 3 {
		t.Fatalf("room %d, want 3", got)
	}
	huge := newBuffer(Limits{Bytes: 10}, false)
	if got := huge.Room(recs); got != 1 {
		t.Fatalf("an empty buffer takes at least one record, got %d", got)
	}
}

func TestDetachCopiesAndKeepsNulls(t *testing.T) {
	fetch := []byte("keyvaluehdr")
	r := admin.Record{Key: fetch[:3], Value: fetch[3:8], Headers: []admin.Header{{Key: "h", Value: fetch[8:]}, {Key: "n"}}}
	d := detach(r)
	copy(fetch, "XXXXXXXXXXX")
	if string(d.Key) != "key" || string(d.Value) != "value" || string(d.Headers[0].Value) != "hdr" {
		t.Fatalf("detached record changed with the fetch buffer: %q %q %q", d.Key, d.Value, d.Headers[0].Value)
	}
	if d.Headers[1].Value != nil {
		t.Fatal("a null header value became empty")
	}
	empty := detach(admin.Record{Key: []byte{}})
	if empty.Key == nil || empty.Value != nil {
		t.Fatalf("empty key %v, null value %v", empty.Key, empty.Value)
	}
}
