package messages

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/tui/styles"
)

// benchModel is a view tailing, following, its buffer already full.
func benchModel(b *testing.B, partition int32) Model {
	m, err := New(Options{Source: &fakeSource{}, Styles: styles.New(colorRenderer()), Topic: "t", Partition: partition,
		Start: Start{Kind: Live}, Location: time.UTC})
	if err != nil {
		b.Fatal(err)
	}
	m.state = stateTailing
	m, _ = m.Update(tea.WindowSizeMsg{Width: 140, Height: 40})
	m.take(batch(0, DefaultMaxRecords, 3))
	return m
}

// batch makes n records with 100-byte values spread over partitions.
func batch(from, n, partitions int) []admin.Record {
	recs := make([]admin.Record, n)
	for i := range recs {
		o := from + i
		recs[i] = admin.Record{Topic: "t", Partition: int32(o % partitions), Offset: int64(o / partitions),
			Timestamp: t0.Add(time.Duration(o) * time.Millisecond), Key: fmt.Appendf(nil, "key-%d", o),
			Value: bytes.Repeat([]byte("v"), 100)}
	}
	return recs
}

// BenchmarkReceive is the cost of taking a poll's batch of 500 records
// into a full buffer, merging three partitions by timestamp: the rate the
// view keeps up with, without drawing.
func BenchmarkReceive(b *testing.B) {
	m := benchModel(b, AllPartitions)
	const n = 500
	next := DefaultMaxRecords
	b.SetBytes(n * 100)
	b.ReportAllocs()
	for b.Loop() {
		recs := batch(next, n, 3)
		next += n
		m.tail.polling = true
		m, _ = m.Update(batchMsg{tail: m.tail, recs: recs})
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkView is one frame of a full buffer on a 140x40 terminal,
// following with a search highlighting: bubbletea draws at most 60 a
// second whatever the rate of records.
func BenchmarkView(b *testing.B) {
	m := benchModel(b, AllPartitions)
	m.setSearch(search{text: "key-1", re: mustSearch(b, "key-1").re})
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}

func mustSearch(b *testing.B, text string) search {
	s, err := compileSearch(text)
	if err != nil {
		b.Fatal(err)
	}
	return s
}
