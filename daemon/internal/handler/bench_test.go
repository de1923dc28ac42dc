package handler_test

import (
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// BenchmarkProduce measures the handler's produce path (decode excluded):
// one request of one 100-record batch of 100-byte values per op, acks=1,
// into a real log.
func BenchmarkProduce(b *testing.B) {
	for _, acks := range []int16{1, -1} {
		b.Run(map[int16]string{1: "acks=1", -1: "acks=all"}[acks], func(b *testing.B) {
			f := newFixture(b)
			f.topic("t", ledHere(1)...)
			values := make([]string, 100)
			for i := range values {
				values[i] = strings.Repeat("v", 100)
			}
			records := batch(1000, values...)
			b.SetBytes(int64(len(records)))
			b.ReportAllocs()
			for b.Loop() {
				req := produceReq(acks, "t", 0, append([]byte(nil), records...)) // Append patches in place
				out, err := f.h.Handle(b.Context(), requestOf(req))
				if err != nil {
					b.Fatal(err)
				}
				waitReady(b, out)
				if code := out.Msg.(*kmsg.ProduceResponse).Topics[0].Partitions[0].ErrorCode; code != 0 {
					b.Fatalf("error %d", code)
				}
			}
		})
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
