package handler_test

import (
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// BenchmarkProduce measures the handler's produce path (decode excluded):
// one request of one batch per op into a real log, with 100 records of
// 100 bytes, 1,000 of 100 bytes (allocations per op must not grow with
// the records) and 16 of 16 KiB, at acks=1 and acks=all.
func BenchmarkProduce(b *testing.B) {
	shapes := []struct {
		name          string
		records, size int
	}{{"100x100B", 100, 100}, {"1000x100B", 1000, 100}, {"16x16KiB", 16, 16 << 10}}
	for _, shape := range shapes {
		for _, acks := range []int16{1, -1} {
			b.Run(shape.name+"/"+map[int16]string{1: "acks=1", -1: "acks=all"}[acks], func(b *testing.B) {
				benchmarkProduce(b, acks, shape.records, shape.size)
			})
		}
	}
}

func benchmarkProduce(b *testing.B, acks int16, n, size int) {
	f := newFixture(b)
	f.topic("t", ledHere(1)...)
	values := make([]string, n)
	for i := range values {
		values[i] = strings.Repeat("v", size)
	}
	records := batch(1000, values...)
	buf := make([]byte, len(records))
	b.SetBytes(int64(len(records)))
	b.ReportAllocs()
	for b.Loop() {
		copy(buf, records) // Append patches in place
		req := produceReq(acks, "t", 0, buf)
		out, err := f.h.Handle(b.Context(), requestOf(req))
		if err != nil {
			b.Fatal(err)
		}
		waitReady(b, out)
		if code := out.Msg.(*kmsg.ProduceResponse).Topics[0].Partitions[0].ErrorCode; code != 0 {
			b.Fatalf("error %d", code)
		}
	}
}

// BenchmarkFetch measures planning and reading a fetch of ~1 MiB that is
// already there (the bytes are file regions; sending them is the server's).
func BenchmarkFetch(b *testing.B) {
	f := newFixture(b)
	f.topic("t", ledHere(1)...)
	values := make([]string, 100)
	for i := range values {
		values[i] = strings.Repeat("v", 100)
	}
	records := batch(1000, values...)
	for range 100 {
		f.produce("t", 0, append([]byte(nil), records...))
	}
	req := fetchReq(0, 1, 1<<20, fetchPart{topic: "t"})
	b.SetBytes(int64(100 * len(records)))
	b.ReportAllocs()
	for b.Loop() {
		out, err := f.h.Handle(b.Context(), requestOf(req))
		if err != nil {
			b.Fatal(err)
		}
		if p := out.Msg.(*kmsg.FetchResponse).Topics[0].Partitions[0]; p.ErrorCode != 0 || p.HighWatermark != 10_000 {
			b.Fatalf("fetch: %+v", p)
		}
	}
}

// BenchmarkProduceLegacy measures a Produce v2 of one gzip-compressed
// magic 1 message set of 100 messages of 100-byte values: conversion to a
// record batch and the log's append, acks=1.
func BenchmarkProduceLegacy(b *testing.B) {
	f := newFixture(b)
	f.topic("t", ledHere(1)...)
	values := make([]string, 100)
	for i := range values {
		values[i] = strings.Repeat("v", 100)
	}
	set := legacyWrapped(b, 1, codecGzip, len(values), legacySet(1, 5000, values...))
	b.SetBytes(int64(len(set)))
	b.ReportAllocs()
	for b.Loop() {
		out, err := f.h.Handle(b.Context(), requestOf(legacyProduceReq(2, 1, "t", set)))
		if err != nil {
			b.Fatal(err)
		}
		waitReady(b, out)
		if code := out.Msg.(*kmsg.ProduceResponse).Topics[0].Partitions[0].ErrorCode; code != 0 {
			b.Fatalf("error %d", code)
		}
	}
}
