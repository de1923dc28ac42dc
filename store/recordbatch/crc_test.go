package recordbatch

import (
	"hash/crc32"
	"math/rand/v2"
	"sync"
	"testing"
)

func TestChecksumMatchesCRC32C(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 63, 64, 4095, crcChunk, crcChunk + 1, coldCRCBytes - 1, coldCRCBytes, coldCRCBytes + 13, 1<<20 + 7} {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		if got, want := checksum(b), crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli)); got != want {
			t.Errorf("%d bytes: checksum %08x, crc32c %08x", n, got, want)
		}
	}
}

// TestChecksumConcurrent checksums large batches from several goroutines
// at once, as concurrent produce appends do: under the race detector it
// fails if checksum shares any state between calls.
func TestChecksumConcurrent(t *testing.T) {
	b := make([]byte, coldCRCBytes+crcChunk)
	want := crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli))
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 8 {
				if got := checksum(b); got != want {
					t.Errorf("checksum %08x, want %08x", got, want)
				}
			}
		})
	}
	wg.Wait()
}

// BenchmarkChecksumCold checksums 1 MiB buffers that no cache holds, as a
// produced megabyte batch is when checked: "library" is crc32.Checksum.
func BenchmarkChecksumCold(b *testing.B) {
	bufs := make([][]byte, 96) // 96 MiB: past any L3 a core shares
	for i := range bufs {
		bufs[i] = make([]byte, 1<<20)
		for j := range bufs[i] {
			bufs[i][j] = byte(i + j)
		}
	}
	table := crc32.MakeTable(crc32.Castagnoli)
	b.Run("library", func(b *testing.B) {
		b.SetBytes(1 << 20)
		for i := 0; b.Loop(); i++ {
			crc32.Checksum(bufs[i%len(bufs)], table)
		}
	})
	b.Run("checksum", func(b *testing.B) {
		b.SetBytes(1 << 20)
		for i := 0; b.Loop(); i++ {
			checksum(bufs[i%len(bufs)])
		}
	})
}
