package group

import (
	"math"
	"testing"
)

func TestJavaStringHash(t *testing.T) {
	// Expected values are Java's "…".hashCode().
	tests := []struct {
		in   string
		want int32
	}{
		{"", 0},
		{"a", 97},
		{"group", 98629247},
		{"console-consumer-12345", 158455506},
		{"polygenelubricants", math.MinInt32},
		{"é", 233},     // one UTF-16 unit
		{"😀", 1772899}, // a surrogate pair: 0xD83D*31 + 0xDE00
		{"my-group-😀", 174510706},
	}
	for _, tt := range tests {
		if got := JavaStringHash(tt.in); got != tt.want {
			t.Errorf("JavaStringHash(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestPartitionFor(t *testing.T) {
	tests := []struct {
		group string
		n     int32
		want  int32
	}{
		{"group", 50, 98629247 % 50},
		{"console-consumer-12345", 50, 158455506 % 50},
		{"polygenelubricants", 50, 0}, // Utils.abs(MIN_VALUE) is 0
		{"", 50, 0},
	}
	for _, tt := range tests {
		if got := PartitionFor(tt.group, tt.n); got != tt.want {
			t.Errorf("PartitionFor(%q, %d) = %d, want %d", tt.group, tt.n, got, tt.want)
		}
	}
}
