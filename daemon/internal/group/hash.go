package group

import (
	"math"
	"unicode/utf16"
)

// PartitionFor returns the __consumer_offsets partition of a group as
// Kafka computes it, Utils.abs(groupId.hashCode) % partitions, so a group
// lives in the same partition as on a Kafka cluster.
func PartitionFor(groupID string, partitions int32) int32 {
	return javaAbs(JavaStringHash(groupID)) % partitions
}

// JavaStringHash is Java's String.hashCode: s[0]*31^(n-1) + ... + s[n-1]
// over the UTF-16 code units of the string, in 32-bit arithmetic.
func JavaStringHash(s string) int32 {
	var h int32
	for _, u := range utf16.Encode([]rune(s)) {
		h = 31*h + int32(u)
	}
	return h
}

// javaAbs is Kafka's Utils.abs: Math.abs, except that MIN_VALUE becomes 0.
func javaAbs(n int32) int32 {
	switch {
	case n == math.MinInt32:
		return 0
	case n < 0:
		return -n
	}
	return n
}
