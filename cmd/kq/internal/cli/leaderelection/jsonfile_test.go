package leaderelection

import (
	"slices"
	"testing"
)

// FuzzParsePartitions: whatever a partitions file holds, parsing never
// panics, and what it accepts names each partition once, none negative.
func FuzzParsePartitions(f *testing.F) {
	f.Add([]byte(`{"partitions":[{"topic":"t","partition":0},{"topic":"u","partition":7}]}`))
	f.Add([]byte(`{"partitions":[]}`))
	f.Add([]byte(`{"partitions":[{"topic":"t","partition":0},{"topic":"t","partition":0}]}`))
	f.Add([]byte(`{"partitions":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		parts, err := parsePartitions(data)
		if err != nil {
			return
		}
		for topic, ps := range parts {
			if topic == "" {
				t.Fatalf("empty topic accepted from %q", data)
			}
			sorted := slices.Clone(ps)
			slices.Sort(sorted)
			if len(slices.Compact(sorted)) != len(ps) || sorted[0] < 0 {
				t.Fatalf("partitions %v of %s accepted from %q", ps, topic, data)
			}
		}
	})
}
