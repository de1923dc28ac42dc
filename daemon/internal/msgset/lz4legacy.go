package msgset

import (
	"encoding/binary"
	"math/bits"
)

// LZ4 frame header: magic (4 bytes), FLG, BD, optional content size (8, FLG
// bit 3), optional dictionary id (4, FLG bit 0), then HC, the second byte of
// the xxHash32 of the descriptor (FLG up to HC, exclusive).
const (
	lz4MagicLen      = 4
	lz4FlagSize      = 0x08
	lz4FlagDictID    = 0x01
	lz4MinHeaderSize = lz4MagicLen + 3
)

// fixLegacyLZ4Header returns payload with the frame header checksum Kafka's
// magic 0 writers got wrong (KAFKA-3160: they hashed from the magic number)
// replaced by the correct one, so a standard reader accepts the frame, as
// Kafka's reader ignores that checksum for magic 0. A payload too short to
// hold a header is returned as is, for the reader to reject.
func fixLegacyLZ4Header(payload []byte) []byte {
	if len(payload) < lz4MinHeaderSize {
		return payload
	}
	hc := lz4MagicLen + 2 // after FLG and BD
	flg := payload[lz4MagicLen]
	if flg&lz4FlagSize != 0 {
		hc += 8
	}
	if flg&lz4FlagDictID != 0 {
		hc += 4
	}
	if hc >= len(payload) {
		return payload
	}
	want := lz4HeaderChecksum(payload[lz4MagicLen:hc])
	if payload[hc] == want {
		return payload
	}
	fixed := make([]byte, len(payload))
	copy(fixed, payload)
	fixed[hc] = want
	return fixed
}

// lz4HeaderChecksum is the HC byte for a frame descriptor.
func lz4HeaderChecksum(descriptor []byte) byte {
	return byte(xxh32Short(descriptor) >> 8)
}

// xxHash32 primes.
const (
	xxPrime1 uint32 = 2654435761
	xxPrime2 uint32 = 2246822519
	xxPrime3 uint32 = 3266489917
	xxPrime4 uint32 = 668265263
	xxPrime5 uint32 = 374761393
)

// xxh32Short is xxHash32 with seed 0 for inputs under 16 bytes, the only
// lengths a frame descriptor has (2 to 14 bytes).
func xxh32Short(b []byte) uint32 {
	h := xxPrime5 + uint32(len(b))
	for ; len(b) >= 4; b = b[4:] {
		h += binary.LittleEndian.Uint32(b) * xxPrime3
		h = bits.RotateLeft32(h, 17) * xxPrime4
	}
	for _, c := range b {
		h += uint32(c) * xxPrime5
		h = bits.RotateLeft32(h, 11) * xxPrime1
	}
	h ^= h >> 15
	h *= xxPrime2
	h ^= h >> 13
	h *= xxPrime3
	h ^= h >> 16
	return h
}
