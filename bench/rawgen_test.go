package main

import (
	"context"
	"encoding/binary"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// TestRawBatchesDecode holds the raw generator's batches to what a broker
// checks: the length field, the CRC, and records kmsg decodes with offset
// deltas 0, 1, 2, ...
func TestRawBatchesDecode(t *testing.T) {
	for _, size := range []int{100, 16 << 10} {
		batches, perBatch := rawBatches(size, 2, rand.New(rand.NewPCG(1, 2)))
		for _, raw := range batches {
			if got := int(binary.BigEndian.Uint32(raw[8:])) + 12; got != len(raw) {
				t.Fatalf("size %d: length field says %d bytes, batch has %d", size, got, len(raw))
			}
			if crc := crc32.Checksum(raw[21:], castagnoli); crc != binary.BigEndian.Uint32(raw[17:]) {
				t.Fatalf("size %d: bad CRC", size)
			}
			var b kmsg.RecordBatch
			if err := b.ReadFrom(raw); err != nil {
				t.Fatal(err)
			}
			rest := b.Records
			for i := range perBatch {
				var r kmsg.Record
				n, used := binary.Varint(rest)
				if used <= 0 {
					t.Fatalf("record %d: bad length", i)
				}
				if err := r.ReadFrom(rest[:used+int(n)]); err != nil {
					t.Fatalf("record %d: %v", i, err)
				}
				if r.OffsetDelta != int32(i) || len(r.Value) != size {
					t.Fatalf("record %d: offset delta %d, %d bytes", i, r.OffsetDelta, len(r.Value))
				}
				rest = rest[used+int(n):]
			}
			if len(rest) != 0 {
				t.Fatalf("%d bytes after the last record", len(rest))
			}
		}
	}
}

func TestWalkBatches(t *testing.T) {
	batches, perBatch := rawBatches(100, 1, rand.New(rand.NewPCG(1, 2)))
	one := batches[0]
	at := func(base int64) []byte {
		b := append([]byte(nil), one...)
		binary.BigEndian.PutUint64(b, uint64(base))
		return b
	}
	n := int64(perBatch)
	two := append(at(0), at(n)...)
	for _, tc := range []struct {
		name      string
		records   []byte
		next      int64
		wantCount int64
		wantNext  int64
	}{
		{"two whole batches", two, 0, 2 * n, 2 * n},
		{"partial second batch", two[:len(two)-1], 0, n, n},
		{"starting inside the first batch", two, 10, 2*n - 10, 2 * n},
		{"nothing", nil, 5, 0, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next := tc.next
			if got := walkBatches(tc.records, &next); got != tc.wantCount || next != tc.wantNext {
				t.Fatalf("counted %d, next %d; want %d, %d", got, next, tc.wantCount, tc.wantNext)
			}
		})
	}
}

// TestRawAgainstBroker drives a running broker, for profiling one:
// KQ_BENCH_ADDR=127.0.0.1:9092 KQ_BENCH_TOPIC=t (6 partitions) [KQ_BENCH_SIZE=100 KQ_BENCH_MB=1000
// KQ_BENCH_PRODUCE_ONLY=1 KQ_BENCH_CONSUMERS=1
// KQ_BENCH_CONSUME_ONLY=<records produced before>].
func TestRawAgainstBroker(t *testing.T) {
	addr, topic := os.Getenv("KQ_BENCH_ADDR"), os.Getenv("KQ_BENCH_TOPIC")
	if addr == "" || topic == "" {
		t.Skip("KQ_BENCH_ADDR and KQ_BENCH_TOPIC not set")
	}
	size, mb := envInt("KQ_BENCH_SIZE", 100), envInt("KQ_BENCH_MB", 1000)
	if n := envInt("KQ_BENCH_CONSUME_ONLY", 0); n > 0 { // records an earlier run produced
		c, err := rawConsume(context.Background(), addr, topic, 6, envInt("KQ_BENCH_CONSUMERS", 1), int64(n))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("consumed %d records in %v: %.1f MB/s", c.records, c.elapsed, float64(c.records)*float64(size)/(1<<20)/c.elapsed.Seconds())
		return
	}
	r, err := rawProduce(context.Background(), addr, topic, 6, size, int64(mb)<<20)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("produced %d records in %v: %.1f MB/s, generator %.2f CPU-s", r.records, r.elapsed, float64(r.records)*float64(size)/(1<<20)/r.elapsed.Seconds(), r.cpu)
	if os.Getenv("KQ_BENCH_PRODUCE_ONLY") != "" {
		return
	}
	c, err := rawConsume(context.Background(), addr, topic, 6, envInt("KQ_BENCH_CONSUMERS", 1), r.records)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("consumed %d records in %v: %.1f MB/s", c.records, c.elapsed, float64(c.records)*float64(size)/(1<<20)/c.elapsed.Seconds())
}

func envInt(key string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(key)); err == nil {
		return v
	}
	return def
}
