package fetcher

import (
	"fmt"
	"log/slog"
	"testing"

	"github.com/kqhq/kq/daemon/internal/replica"
)

func TestPartitionsSpreadOverFetchersPerSource(t *testing.T) {
	for _, perSource := range []int{0, 1, 3, 8} {
		t.Run(fmt.Sprint(perSource), func(t *testing.T) {
			m := New(Config{PerSource: perSource, Logger: slog.New(slog.DiscardHandler)})
			want := max(perSource, 1)
			used := map[int32]bool{}
			for _, topic := range []string{"orders", "payments", "__consumer_offsets"} {
				for i := range int32(50) {
					p := &replica.Partition{Topic: topic, Index: i}
					k := m.keyFor(p, 7)
					if k.source != 7 || k.index < 0 || int(k.index) >= want {
						t.Fatalf("%s-%d: key %+v, want source 7 and index in [0,%d)", topic, i, k, want)
					}
					if again := m.keyFor(p, 7); again != k {
						t.Fatalf("%s-%d: key %+v then %+v", topic, i, k, again)
					}
					used[k.index] = true
				}
			}
			if len(used) != want {
				t.Errorf("150 partitions used %d fetchers, want all %d", len(used), want)
			}
		})
	}
}
